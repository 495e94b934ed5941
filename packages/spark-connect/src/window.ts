/**
 * Window specifications, as PySpark's `Window` / `WindowSpec`:
 *
 *   const w = Window.partitionBy('dept').orderBy(col('salary').desc());
 *   df.withColumn('rank', F.rank().over(w));
 *   df.withColumn('running', F.sum('x').over(w.rowsBetween(Window.unboundedPreceding, Window.currentRow)));
 *
 * A spec is immutable: every method returns a new one, so a base spec can be shared.
 */
import { create } from '@bufbuild/protobuf';
import { InvalidOptionError } from '@tsapply/common';
import {
  ExpressionSchema,
  Expression_Window_WindowFrame_FrameType as FrameType,
  type Expression,
  type Expression_SortOrder,
  type Expression_Window_WindowFrame,
  type Expression_Window_WindowFrame_FrameBoundary,
} from './gen/spark/connect/expressions_pb.js';
import { Column, sortOrderOf, toColumn, toColumnFromName, type ColumnOrName } from './column.js';

/** A frame offset: rows (or ordering-value distance) from the current row; negative = before it. */
export type FrameOffset = number | bigint;

// PySpark treats any start at or below Long.MIN_VALUE's neighbourhood as unbounded; a JS
// number cannot hold Long.MIN_VALUE exactly, so the constants are ±Infinity and anything
// at or beyond ±2^63 (as number or bigint) counts as unbounded too.
const LONG_LIMIT = 2n ** 63n - 1n;

export class WindowSpec {
  private readonly partitionSpec: readonly Expression[];
  private readonly orderSpec: readonly Expression_SortOrder[];
  private readonly frame: Expression_Window_WindowFrame | undefined;

  /** Use `Window.partitionBy(…)` / `Window.orderBy(…)` rather than this constructor. */
  constructor(partitionSpec: readonly Expression[] = [], orderSpec: readonly Expression_SortOrder[] = [], frame?: Expression_Window_WindowFrame) {
    this.partitionSpec = partitionSpec;
    this.orderSpec = orderSpec;
    this.frame = frame;
  }

  /** Rows with equal values of these columns form one window partition (replaces any earlier partitioning). */
  partitionBy(...cols: (ColumnOrName | ColumnOrName[])[]): WindowSpec {
    return new WindowSpec(cols.flat().map((c) => toColumnFromName(c).toProto()), this.orderSpec, this.frame);
  }

  /** Order within each partition; strings are ascending column names, Columns may be `.desc()`. */
  orderBy(...cols: (ColumnOrName | ColumnOrName[])[]): WindowSpec {
    return new WindowSpec(this.partitionSpec, cols.flat().map(sortOrderOf), this.frame);
  }

  /**
   * `ROWS BETWEEN start AND end`: offsets count rows from the current one (-1 = the row
   * before). Use `Window.unboundedPreceding`, `Window.currentRow`, `Window.unboundedFollowing`.
   */
  rowsBetween(start: FrameOffset, end: FrameOffset): WindowSpec {
    return this.withFrame(FrameType.ROW, 'rowsBetween', start, end);
  }

  /**
   * `RANGE BETWEEN start AND end`: offsets are distances in the ordering value (one
   * numeric ORDER BY column), so rows with equal values always share a frame.
   */
  rangeBetween(start: FrameOffset, end: FrameOffset): WindowSpec {
    return this.withFrame(FrameType.RANGE, 'rangeBetween', start, end);
  }

  /** `fn OVER (this spec)`; what `Column.over(spec)` builds. */
  windowExpression(fn: Column): Column {
    return new Column(
      create(ExpressionSchema, {
        exprType: {
          case: 'window',
          value: { windowFunction: fn.toProto(), partitionSpec: [...this.partitionSpec], orderSpec: [...this.orderSpec], frameSpec: this.frame },
        },
      }),
    );
  }

  private withFrame(frameType: FrameType, method: string, start: FrameOffset, end: FrameOffset): WindowSpec {
    for (const [name, v] of [['start', start], ['end', end]] as const) {
      const ok = typeof v === 'bigint' || (typeof v === 'number' && (Number.isInteger(v) || Math.abs(v) === Infinity));
      if (!ok) {
        throw new InvalidOptionError(
          `${method}(start, end): ${name} must be an integer (or Window.unboundedPreceding / currentRow / unboundedFollowing), got ${String(v)}.`,
          { option: name },
        );
      }
    }
    const lower = boundary(start, -1);
    const upper = boundary(end, 1);
    if (compareOffsets(start, end) > 0) {
      throw new InvalidOptionError(`${method}(${String(start)}, ${String(end)}): the frame's start comes after its end. Swap them.`, { option: 'start' });
    }
    return new WindowSpec(this.partitionSpec, this.orderSpec, { $typeName: 'spark.connect.Expression.Window.WindowFrame', frameType, lower, upper });
  }
}

/** Entry points for window specs, as PySpark's `Window`. */
export const Window = {
  /** Frame bound: the partition's first row. */
  unboundedPreceding: -Infinity as FrameOffset,
  /** Frame bound: the partition's last row. */
  unboundedFollowing: Infinity as FrameOffset,
  /** Frame bound: the current row. */
  currentRow: 0 as FrameOffset,
  partitionBy(...cols: (ColumnOrName | ColumnOrName[])[]): WindowSpec {
    return new WindowSpec().partitionBy(...cols);
  },
  orderBy(...cols: (ColumnOrName | ColumnOrName[])[]): WindowSpec {
    return new WindowSpec().orderBy(...cols);
  },
  rowsBetween(start: FrameOffset, end: FrameOffset): WindowSpec {
    return new WindowSpec().rowsBetween(start, end);
  },
  rangeBetween(start: FrameOffset, end: FrameOffset): WindowSpec {
    return new WindowSpec().rangeBetween(start, end);
  },
};

function isUnbounded(v: FrameOffset): boolean {
  return typeof v === 'bigint' ? v >= LONG_LIMIT || v <= -LONG_LIMIT : Math.abs(v) >= 2 ** 63;
}

/** One end of a frame. `side` says which unbounded end a huge value means (-1 lower, 1 upper). */
function boundary(v: FrameOffset, side: -1 | 1): Expression_Window_WindowFrame_FrameBoundary {
  const typeName = 'spark.connect.Expression.Window.WindowFrame.FrameBoundary' as const;
  if (isUnbounded(v)) {
    const sign = typeof v === 'bigint' ? (v < 0n ? -1 : 1) : Math.sign(v);
    if (sign !== side) {
      throw new InvalidOptionError(
        side === -1
          ? 'A window frame cannot start at Window.unboundedFollowing; use a lower bound such as Window.unboundedPreceding or Window.currentRow.'
          : 'A window frame cannot end at Window.unboundedPreceding; use an upper bound such as Window.currentRow or Window.unboundedFollowing.',
        { option: side === -1 ? 'start' : 'end' },
      );
    }
    return { $typeName: typeName, boundary: { case: 'unbounded', value: true } };
  }
  if (v === 0 || v === 0n) return { $typeName: typeName, boundary: { case: 'currentRow', value: true } };
  // Spark's frame offsets are integers; a bigint literal becomes a LONG, a small number an INT.
  return { $typeName: typeName, boundary: { case: 'value', value: toColumn(v).toProto() } };
}

function compareOffsets(a: FrameOffset, b: FrameOffset): number {
  const n = (v: FrameOffset) => (typeof v === 'bigint' ? (isUnbounded(v) ? (v < 0n ? -Infinity : Infinity) : Number(v)) : v);
  return Math.sign(n(a) - n(b));
}
