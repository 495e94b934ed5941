/**
 * `df.writeTo(table)`: PySpark's DataFrameWriterV2, for catalog tables. Setters return
 * the writer; `create`, `replace`, `createOrReplace`, `append`, `overwrite(condition)`
 * and `overwritePartitions` run the write.
 */
import { InvalidOptionError } from '@tsapply/common';
import { WriteOperationV2_Mode as Mode } from './gen/spark/connect/commands_pb.js';
import { toColumnFromName, type Column, type ColumnOrName } from './column.js';
import type { DataFrame } from './data-frame.js';
import { OptionsBuilder } from './options-builder.js';

export class DataFrameWriterV2 extends OptionsBuilder {
  private provider: string | undefined;
  private readonly properties: Record<string, string> = {};
  private partitioning: Column[] = [];
  private clustering: string[] = [];

  constructor(
    private readonly df: DataFrame,
    private readonly table: string,
  ) {
    super();
    if (typeof table !== 'string' || table === '') throw new InvalidOptionError('writeTo(table) needs a table name, such as \'db.events\'.', { option: 'table' });
  }

  /** The data source of a table being created (`parquet`, `delta`, …). */
  using(provider: string): this {
    this.provider = provider;
    return this;
  }
  tableProperty(property: string, value: string): this {
    this.properties[property] = value;
    return this;
  }
  /** Partitions a created table by columns or transforms (`F.years('ts')`, `F.bucket(8, 'id')`). */
  partitionedBy(col: ColumnOrName, ...cols: ColumnOrName[]): this {
    this.partitioning = [col, ...cols].map((c) => toColumnFromName(c));
    return this;
  }
  clusterBy(col: string, ...cols: string[]): this {
    this.clustering = [col, ...cols];
    return this;
  }

  /** Creates the table from the rows; fails if it exists. */
  create(): Promise<void> {
    return this.run(Mode.CREATE);
  }
  /** Replaces an existing table's definition and rows; fails if it does not exist. */
  replace(): Promise<void> {
    return this.run(Mode.REPLACE);
  }
  createOrReplace(): Promise<void> {
    return this.run(Mode.CREATE_OR_REPLACE);
  }
  /** Adds the rows to an existing table. */
  append(): Promise<void> {
    return this.run(Mode.APPEND);
  }
  /** Replaces the rows matching `condition` with these rows. */
  overwrite(condition: Column): Promise<void> {
    return this.run(Mode.OVERWRITE, condition);
  }
  /** Replaces every partition these rows fall in. */
  overwritePartitions(): Promise<void> {
    return this.run(Mode.OVERWRITE_PARTITIONS);
  }

  private async run(mode: Mode, condition?: Column): Promise<void> {
    await this.df.session.executeCommand({
      commandType: {
        case: 'writeOperationV2',
        value: {
          input: this.df.relation,
          tableName: this.table,
          ...(this.provider !== undefined ? { provider: this.provider } : {}),
          partitioningColumns: this.partitioning.map((c) => c.toProto()),
          options: this.opts,
          tableProperties: this.properties,
          mode,
          ...(condition ? { overwriteCondition: condition.toProto() } : {}),
          clusteringColumns: this.clustering,
        },
      },
    });
  }
}
