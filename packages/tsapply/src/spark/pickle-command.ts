/**
 * The `command` bytes of the Python UDF in tsapply's MapPartitions plans.
 *
 * Spark's Python worker reads the command with plain `pickle.loads` and expects the
 * 2-tuple `(function, return_type)`. tsapply never runs Python on the driver, so the
 * pickle is written here by hand: `PROTO 3`, `GLOBAL '<shim module>\nmake_command\n'`,
 * a 1-tuple holding the spec dict, `REDUCE`, `STOP` — i.e. "call
 * `<shim module>.make_command(spec)`", which returns that 2-tuple on the executor.
 * The shim module (`worker-runtime/python/tsapply_shim.py`) is shipped as a
 * `pyfiles/` artifact whose module name carries a hash of its content, so a session
 * that already holds another version never collides with this one.
 *
 * The spec (keys are the shim's, snake_case):
 * `{ version: 1, mode: 'map' | 'grouped', payload: {file, sha256}, worker: {file, sha256},
 *    schema_ddl, schema_json, group_columns: [...], node_options: {node, args, env, policy, shipped} }`.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { DataType, type Field, type Schema } from 'apache-arrow';
import { TsapplyError } from '@tsapply/common';

/** Protocol version of the spec dict; must equal `SHIM_PROTOCOL_VERSION` in the shim. */
export const SHIM_SPEC_VERSION = 2;

/** A value the hand-written pickler can encode. */
export type PickleValue =
  | string
  | number
  | bigint
  | boolean
  | null
  | Uint8Array
  | PickleValue[]
  | { readonly [key: string]: PickleValue | undefined };

export interface ShimCommandSpec {
  /**
   * 'map': the function over each partition's batches. 'grouped': over each group of a
   * partition the driver hash-partitioned and sorted by `groupColumns` (the Node worker
   * cuts it into groups). Both run as mapInArrow (eval type 207).
   */
  mode: 'map' | 'grouped';
  /** The payload artifact: its SparkFiles name (or an absolute path) and sha256 hex. */
  payload: { file: string; sha256: string };
  /** The worker bundle artifact (see `worker-bundle.ts`). */
  worker: { file: string; sha256: string };
  /** Output schema as Spark DDL; the Node worker converts results to it. */
  schemaDDL: string;
  /** Output schema as Spark's JSON (`{"type":"struct","fields":[…]}`); becomes the StructType. */
  schemaJson: string;
  /** Grouped mode: the grouping column names (the key handed to `ctx.key`). @default [] */
  groupColumns?: string[];
  /** Longest one call of the function may run on an executor (ms). @default no limit */
  taskTimeoutMs?: number;
  /** How long an executor's Node worker may sit idle before it is closed (ms). @default 300000 */
  workerIdleTimeoutMs?: number;
  /**
   * How the executor starts Node (see `executor-node/executor-node.ts`): `node` a path on
   * the executors; `policy` whether a local node or the `shipped` runtime comes first.
   * @default a local node ($TSAPPLY_NODE, else `node` on PATH), nothing shipped
   */
  nodeOptions?: {
    node?: string | null;
    args?: string[];
    env?: Record<string, string>;
    policy?: 'auto' | 'ship' | 'local';
    shipped?: { archive: string; path: string; sha256: string } | null;
  };
}

export interface ShimModule {
  /** Importable module name, `tsapply_shim_<sha256 of the source, hex>`; the shim checks its bytes against it. */
  moduleName: string;
  /** `<moduleName>.py`, the artifact name under `pyfiles/`. */
  fileName: string;
  /** The module's Python source. */
  source: string;
}

let shimCache: ShimModule | undefined;

/** The Python shim's source and its content-hashed module name. */
export function shimModule(): ShimModule {
  if (shimCache !== undefined) return shimCache;
  const source = readFileSync(shimSourcePath(), 'utf8');
  const moduleName = `tsapply_shim_${createHash('sha256').update(source).digest('hex')}`;
  shimCache = { moduleName, fileName: `${moduleName}.py`, source };
  return shimCache;
}

/** Absolute path of `tsapply_shim.py` inside the installed `@tsapply/worker-runtime`. */
export function shimSourcePath(): string {
  const require = createRequire(import.meta.url);
  for (const base of require.resolve.paths('@tsapply/worker-runtime') ?? []) {
    const path = join(base, '@tsapply', 'worker-runtime', 'python', 'tsapply_shim.py');
    if (existsSync(path)) return path;
  }
  throw new TsapplyError("Cannot find @tsapply/worker-runtime's python/tsapply_shim.py; reinstall tsapply (npm install).", { code: 'INSTALL_INCOMPLETE' });
}

/** The pickled `(function, return_type)` command calling `<moduleName>.make_command(spec)`. */
export function buildShimCommand(spec: ShimCommandSpec, moduleName: string = shimModule().moduleName): Uint8Array {
  if (spec.mode !== 'map' && spec.mode !== 'grouped') throw new TypeError(`spec.mode must be 'map' or 'grouped', got ${String(spec.mode)}`);
  const dict: PickleValue = {
    version: SHIM_SPEC_VERSION,
    mode: spec.mode,
    payload: { file: spec.payload.file, sha256: spec.payload.sha256 },
    worker: { file: spec.worker.file, sha256: spec.worker.sha256 },
    schema_ddl: spec.schemaDDL,
    schema_json: spec.schemaJson,
    group_columns: spec.groupColumns ?? [],
    task_timeout_ms: spec.taskTimeoutMs ?? null,
    worker_idle_timeout_ms: spec.workerIdleTimeoutMs ?? null,
    node_options: {
      node: spec.nodeOptions?.node ?? null,
      args: spec.nodeOptions?.args ?? [],
      env: spec.nodeOptions?.env ?? {},
      policy: spec.nodeOptions?.policy ?? 'auto',
      shipped: spec.nodeOptions?.shipped ?? null,
    },
  };
  return pickleCall(moduleName, 'make_command', [dict]);
}

// Pickle opcodes (see CPython's Lib/pickletools.py). Protocol 3 is the oldest that has
// BINBYTES; every Python 3 reads it.
const OP = {
  PROTO: 0x80,
  STOP: 0x2e, // .
  GLOBAL: 0x63, // c  module\nname\n
  REDUCE: 0x52, // R
  MARK: 0x28, // (
  TUPLE: 0x74, // t
  EMPTY_TUPLE: 0x29, // )
  EMPTY_LIST: 0x5d, // ]
  APPENDS: 0x65, // e
  EMPTY_DICT: 0x7d, // }
  SETITEMS: 0x75, // u
  NONE: 0x4e, // N
  NEWTRUE: 0x88,
  NEWFALSE: 0x89,
  BININT: 0x4a, // J  i32 little-endian
  LONG1: 0x8a, //    u8 length + two's complement little-endian
  BINFLOAT: 0x47, // G  f64 big-endian
  BINUNICODE: 0x58, // X  u32 length + UTF-8
  BINBYTES: 0x42, // B  u32 length + bytes
} as const;

/** Pickle bytes that, when loaded, call `module.name(*args)` and return its result. */
export function pickleCall(module: string, name: string, args: PickleValue[]): Uint8Array {
  for (const id of [module, name]) {
    if (!/^[A-Za-z_][A-Za-z0-9_.]*$/.test(id)) throw new TypeError(`Not a Python identifier: ${JSON.stringify(id)}`);
  }
  const out = new PickleWriter();
  out.byte(OP.PROTO, 3);
  out.byte(OP.GLOBAL);
  out.raw(Buffer.from(`${module}\n${name}\n`, 'utf8'));
  out.byte(OP.MARK);
  for (const a of args) out.value(a);
  out.byte(OP.TUPLE, OP.REDUCE, OP.STOP);
  return out.finish();
}

class PickleWriter {
  private readonly parts: Buffer[] = [];

  byte(...codes: number[]): void {
    this.parts.push(Buffer.from(codes));
  }

  raw(b: Uint8Array): void {
    this.parts.push(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
  }

  private u32(n: number): void {
    const b = Buffer.allocUnsafe(4);
    b.writeUInt32LE(n, 0);
    this.parts.push(b);
  }

  value(v: PickleValue | undefined): void {
    if (v === null || v === undefined) return this.byte(OP.NONE);
    if (typeof v === 'boolean') return this.byte(v ? OP.NEWTRUE : OP.NEWFALSE);
    if (typeof v === 'string') {
      const b = Buffer.from(v, 'utf8');
      this.byte(OP.BINUNICODE);
      this.u32(b.length);
      return this.raw(b);
    }
    if (typeof v === 'bigint') return this.integer(v);
    if (typeof v === 'number') {
      if (Number.isSafeInteger(v)) return this.integer(BigInt(v));
      const b = Buffer.allocUnsafe(9);
      b[0] = OP.BINFLOAT;
      b.writeDoubleBE(v, 1);
      return this.raw(b);
    }
    if (v instanceof Uint8Array) {
      this.byte(OP.BINBYTES);
      this.u32(v.byteLength);
      return this.raw(v);
    }
    if (Array.isArray(v)) {
      this.byte(OP.EMPTY_LIST);
      if (v.length === 0) return;
      this.byte(OP.MARK);
      for (const item of v) this.value(item);
      return this.byte(OP.APPENDS);
    }
    if (typeof v === 'object') {
      this.byte(OP.EMPTY_DICT);
      const entries = Object.entries(v);
      if (entries.length === 0) return;
      this.byte(OP.MARK);
      for (const [k, x] of entries) {
        this.value(k);
        this.value(x);
      }
      return this.byte(OP.SETITEMS);
    }
    throw new TypeError(`Cannot pickle a ${typeof v}`);
  }

  private integer(n: bigint): void {
    if (n >= -(2n ** 31n) && n < 2n ** 31n) {
      const b = Buffer.allocUnsafe(5);
      b[0] = OP.BININT;
      b.writeInt32LE(Number(n), 1);
      return this.raw(b);
    }
    // LONG1: minimal two's-complement little-endian bytes.
    const bytes: number[] = [];
    let x = n;
    for (;;) {
      const byte = Number(x & 0xffn);
      bytes.push(byte);
      x >>= 8n; // arithmetic shift keeps the sign
      if ((x === 0n && (byte & 0x80) === 0) || (x === -1n && (byte & 0x80) !== 0)) break;
    }
    this.byte(OP.LONG1, bytes.length, ...bytes);
  }

  finish(): Uint8Array {
    return Buffer.concat(this.parts);
  }
}

/** Spark's JSON form of an Arrow schema (what `StructType.fromJson` reads). */
export function sparkSchemaJson(schema: Schema): string {
  return JSON.stringify({ type: 'struct', fields: schema.fields.map(fieldJson) });
}

function fieldJson(f: Field): unknown {
  return { name: f.name, type: typeJson(f.type), nullable: f.nullable, metadata: {} };
}

function typeJson(t: DataType): unknown {
  if (DataType.isBool(t)) return 'boolean';
  if (DataType.isInt(t)) {
    const bits = (t as unknown as { bitWidth: number }).bitWidth;
    return ({ 8: 'byte', 16: 'short', 32: 'integer', 64: 'long' } as Record<number, string>)[bits];
  }
  // Arrow Precision: 0 = HALF, 1 = SINGLE, 2 = DOUBLE; Spark has no half float.
  if (DataType.isFloat(t)) return (t as unknown as { precision: number }).precision === 2 ? 'double' : 'float';
  if (DataType.isUtf8(t) || DataType.isLargeUtf8(t)) return 'string';
  if (DataType.isBinary(t) || DataType.isLargeBinary(t)) return 'binary';
  if (DataType.isDate(t)) return 'date';
  if (DataType.isTimestamp(t)) return (t as unknown as { timezone: string | null }).timezone ? 'timestamp' : 'timestamp_ntz';
  if (DataType.isDecimal(t)) {
    const d = t as unknown as { precision: number; scale: number };
    return `decimal(${d.precision},${d.scale})`;
  }
  if (DataType.isNull(t)) return 'void';
  if (DataType.isList(t)) {
    const child = t.children[0];
    return { type: 'array', elementType: typeJson(child.type), containsNull: child.nullable };
  }
  if (DataType.isMap(t)) {
    const entries = t.children[0].type.children;
    return { type: 'map', keyType: typeJson(entries[0].type), valueType: typeJson(entries[1].type), valueContainsNull: entries[1].nullable };
  }
  if (DataType.isStruct(t)) return { type: 'struct', fields: t.children.map(fieldJson) };
  throw new TsapplyError(`No Spark type for Arrow type ${String(t)}; use a type from Spark DDL.`, { code: 'UNSUPPORTED_TYPE' });
}
