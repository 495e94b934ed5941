// The Node worker process speaking the frame protocol, driven directly from Node (no
// Python): the exact frames it answers with, for success, cancel, errors and protocol
// violations. The worker is the real self-contained bundle, run with plain `node`.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { RecordBatchReader, RecordBatchStreamWriter, Table, tableToIPC, type RecordBatch } from 'apache-arrow';
import { parseDDL, recordBatchToRows, rowsToRecordBatch, serializers } from '@tsapply/common';
import { frameHeader, readFrames } from '../../../worker-runtime/dist/process/frames.js';
import { ShimWorkspace, type JobFiles } from './shim-harness.js';

const T = { start: 1, batch: 2, end: 3, cancel: 4, schema: 5, outBatch: 17, done: 18, error: 19, outSchema: 20 };

interface Frame {
  type: number;
  json?: Record<string, unknown>;
  rows?: Record<string, unknown>[];
  /** Field names of a schema frame. */
  fields?: string[];
}

/** A record batch as the shim sends it: its schema's IPC message and its own, cut out of one stream. */
function ipcMessages(b: RecordBatch): { schema: Uint8Array; batch: Uint8Array } {
  const empty = tableToIPC(new Table(b.schema), 'stream');
  const schema = empty.subarray(0, empty.byteLength - 8); // minus the end-of-stream marker
  const stream = RecordBatchStreamWriter.writeAll([b]).toUint8Array(true);
  return { schema, batch: stream.subarray(schema.byteLength, stream.byteLength - 8) };
}

/** A worker child plus a frame reader over its stdout. */
class WorkerClient {
  readonly child: ChildProcessWithoutNullStreams;
  private readonly frames: AsyncGenerator<{ type: number; body: Uint8Array }>;
  /** The schema message last sent in this task, and the last one received. */
  private sentSchema: Uint8Array | undefined;
  private resultSchema: Uint8Array | undefined;
  stderr = '';

  constructor(bundlePath: string, cwd: string) {
    this.child = spawn(process.execPath, [bundlePath], { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stderr.on('data', (d: Buffer) => (this.stderr += d.toString('utf8')));
    this.frames = readFrames(this.child.stdout);
  }

  send(type: number, body: Uint8Array = new Uint8Array(0)): void {
    this.child.stdin.write(frameHeader(type, body.byteLength));
    this.child.stdin.write(body);
  }

  start(payload: JobFiles, dir: string, partitionIndex: number, extra: Record<string, unknown> = {}): void {
    const msg = {
      type: 'start',
      protocol: 2,
      task: 1,
      partitionIndex,
      mode: 'map',
      payload: { path: `${dir}/${payload.payloadFile}`, sha256: payload.payloadHash },
      schema: null,
      groupColumns: [],
      ...extra,
    };
    this.sentSchema = undefined;
    this.send(T.start, Buffer.from(JSON.stringify(msg)));
  }

  /** Sends `b`, after a schema frame when the task has sent no schema or another one. */
  batch(b: RecordBatch): void {
    const { schema, batch } = ipcMessages(b);
    if (this.sentSchema === undefined || !Buffer.from(schema).equals(this.sentSchema)) {
      this.send(T.schema, schema);
      this.sentSchema = schema;
    }
    this.send(T.batch, batch);
  }

  /** Reads frames up to and including the next DONE or ERROR. */
  async untilTerminal(): Promise<Frame[]> {
    const out: Frame[] = [];
    for (;;) {
      const next = await this.frames.next();
      if (next.done) throw new Error(`worker stdout ended; stderr:\n${this.stderr}`);
      const { type, body } = next.value;
      if (type === T.outSchema) {
        this.resultSchema = body;
        out.push({ type, fields: RecordBatchReader.from(body).open().schema.fields.map((f) => f.name) });
      } else if (type === T.outBatch) {
        const stream = Buffer.concat([this.resultSchema!, body]);
        out.push({ type, rows: RecordBatchReader.from(stream).readAll().flatMap((b) => recordBatchToRows(b)) });
      } else {
        out.push({ type, json: JSON.parse(Buffer.from(body).toString('utf8')) as Record<string, unknown> });
        if (type === T.done || type === T.error) return out;
      }
    }
  }

  async exit(): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return { code: this.child.exitCode, signal: this.child.signalCode };
    return new Promise((resolve) => this.child.on('exit', (code, signal) => resolve({ code, signal })));
  }
}

const idBatch = (ids: number[]): RecordBatch =>
  rowsToRecordBatch(ids.map((id) => ({ id: BigInt(id), x: id / 2 })), parseDDL('id bigint, x double'));

describe('Node worker process protocol', () => {
  let ws: ShimWorkspace;
  let identity: JobFiles;
  let throws: JobFiles;

  before(async () => {
    ws = await new ShimWorkspace().init();
    identity = await ws.addJob('identity.ts', 'id bigint, x double');
    throws = await ws.addJob('throws.ts', 'id bigint');
  });
  after(() => ws?.cleanup());

  it('streams result batches then done with counts; cancel ends a task early', async () => {
    const w = new WorkerClient(ws.worker!.file, ws.dir);
    w.start(identity, ws.dir, 0);
    w.batch(idBatch([1, 2]));
    w.batch(idBatch([3]));
    w.send(T.end);
    assert.deepEqual(await w.untilTerminal(), [
      { type: T.outSchema, fields: ['id', 'x'] },
      { type: T.outBatch, rows: [{ id: 1n, x: 0.5 }, { id: 2n, x: 1 }] },
      { type: T.outBatch, rows: [{ id: 3n, x: 1.5 }] },
      { type: T.done, json: { type: 'done', rowsIn: 3, rowsOut: 3, batchesIn: 2, batchesOut: 2, cancelled: false } },
    ]);
    w.start(identity, ws.dir, 1);
    w.batch(idBatch([4]));
    w.send(T.cancel);
    assert.deepEqual(await w.untilTerminal(), [
      { type: T.outSchema, fields: ['id', 'x'] },
      { type: T.outBatch, rows: [{ id: 4n, x: 2 }] },
      { type: T.done, json: { type: 'done', rowsIn: 1, rowsOut: 1, batchesIn: 1, batchesOut: 1, cancelled: true } },
    ]);
    w.child.stdin.end();
    assert.deepEqual(await w.exit(), { code: 0, signal: null });
  });

  it('decodes a payload of the compressed serializer without lz4-napi (pure-JS LZ4 inside the bundle)', async () => {
    const compressed = await ws.addJob('context-sum.ts', 'id bigint, total double', {
      serializer: serializers.compressed,
      context: { weights: Array.from({ length: 5000 }, (_, i) => i % 7) },
    });
    const w = new WorkerClient(ws.worker!.file, ws.dir);
    w.start(compressed, ws.dir, 0);
    w.batch(idBatch([1]));
    w.send(T.end);
    const weightsSum = Array.from({ length: 5000 }, (_, i) => i % 7).reduce((a, b) => a + b, 0);
    assert.deepEqual(await w.untilTerminal(), [
      { type: T.outSchema, fields: ['id', 'total'] },
      { type: T.outBatch, rows: [{ id: 1n, total: weightsSum }] },
      { type: T.done, json: { type: 'done', rowsIn: 1, rowsOut: 1, batchesIn: 1, batchesOut: 1, cancelled: false } },
    ]);
    w.child.stdin.end();
    assert.deepEqual(await w.exit(), { code: 0, signal: null });
  });

  it('answers a failing batch with one error, drops the rest of the task, and serves the next one', async () => {
    const w = new WorkerClient(ws.worker!.file, ws.dir);
    w.start(throws, ws.dir, 3);
    w.batch(idBatch([1, 2]));
    w.batch(idBatch([3]));
    w.send(T.end);
    const frames = await w.untilTerminal();
    assert.equal(frames.length, 1);
    const error = frames[0].json!.error as Record<string, unknown>;
    assert.equal(error.name, 'UserCodeError');
    assert.equal(error.message, 'Error in apply() at test/fixtures/process/throws.ts:10:13 (partition 3): boom on 2 rows');
    w.start(throws, ws.dir, 0);
    w.batch(idBatch([5]));
    w.send(T.end);
    assert.deepEqual(await w.untilTerminal(), [
      { type: T.outSchema, fields: ['id'] },
      { type: T.outBatch, rows: [{ id: 5n }] },
      { type: T.done, json: { type: 'done', rowsIn: 1, rowsOut: 1, batchesIn: 1, batchesOut: 1, cancelled: false } },
    ]);
    w.child.stdin.end();
    assert.deepEqual(await w.exit(), { code: 0, signal: null });
  });

  it('reports a payload it cannot read, or one whose hash does not match', async () => {
    const w = new WorkerClient(ws.worker!.file, ws.dir);
    w.start({ ...identity, payloadFile: 'missing.bin' }, ws.dir, 0);
    w.send(T.end);
    const [missing] = await w.untilTerminal();
    const e1 = missing.json!.error as Record<string, unknown>;
    assert.equal(e1.name, 'PayloadError');
    assert.equal(e1.message, `Cannot read payload file ${ws.dir}/missing.bin: ENOENT: no such file or directory, open '${ws.dir}/missing.bin'`);
    w.start({ ...identity, payloadHash: 'f'.repeat(64) }, ws.dir, 0);
    w.send(T.end);
    const [mismatch] = await w.untilTerminal();
    const e2 = mismatch.json!.error as Record<string, unknown>;
    assert.equal(e2.code, 'PAYLOAD_HASH_MISMATCH');
    w.child.stdin.end();
    assert.deepEqual(await w.exit(), { code: 0, signal: null });
  });

  it('exits with code 70 and a message on a protocol violation', async () => {
    const w = new WorkerClient(ws.worker!.file, ws.dir);
    w.start(identity, ws.dir, 0, { protocol: 1 });
    assert.deepEqual(await w.exit(), { code: 70, signal: null });
    assert.match(
      // The first line tells the shim the heap limit; then the error.
      w.stderr.replace(/^\[tsapply worker\] heap limit \d+ MB\n/, ''),
      /^tsapply worker: fatal protocol error: ProtocolError: The shim speaks protocol 1 but this worker speaks 2; the shim and the worker bundle come from different tsapply versions\./,
    );
    const w2 = new WorkerClient(ws.worker!.file, ws.dir);
    w2.send(9);
    assert.deepEqual(await w2.exit(), { code: 70, signal: null });
    assert.match(w2.stderr, /Unknown frame type 9 from the shim \(valid: 1, 2, 3, 4, 5\)/);
    // A batch is one message of the task's input stream: without the schema frame first it cannot be read.
    const w3 = new WorkerClient(ws.worker!.file, ws.dir);
    w3.start(identity, ws.dir, 0);
    w3.send(T.batch, ipcMessages(idBatch([1])).batch);
    assert.deepEqual(await w3.exit(), { code: 70, signal: null });
    assert.match(w3.stderr, /ProtocolError: An input batch frame arrived before the task's schema frame\./);
    // A batch frame cut short.
    const w4 = new WorkerClient(ws.worker!.file, ws.dir);
    w4.start(identity, ws.dir, 0);
    const cut = ipcMessages(idBatch([1]));
    w4.send(T.schema, cut.schema);
    w4.send(T.batch, cut.batch.subarray(0, 20));
    assert.deepEqual(await w4.exit(), { code: 70, signal: null });
    assert.match(w4.stderr, /ProtocolError: An input frame ended inside an Arrow IPC message \(\d+ more bytes expected\)\./);
  });

  it('reads the schema once per task, and again when the input schema changes within a task', async () => {
    const w = new WorkerClient(ws.worker!.file, ws.dir);
    w.start(identity, ws.dir, 0);
    w.batch(idBatch([1]));
    w.batch(idBatch([2]));
    // The same columns in another order: a new schema frame, then batches read with it.
    w.batch(rowsToRecordBatch([{ x: 1.5, id: 3n }], parseDDL('x double, id bigint')));
    w.send(T.end);
    assert.deepEqual(await w.untilTerminal(), [
      { type: T.outSchema, fields: ['id', 'x'] },
      { type: T.outBatch, rows: [{ id: 1n, x: 0.5 }] },
      { type: T.outBatch, rows: [{ id: 2n, x: 1 }] },
      { type: T.outBatch, rows: [{ id: 3n, x: 1.5 }] },
      { type: T.done, json: { type: 'done', rowsIn: 3, rowsOut: 3, batchesIn: 3, batchesOut: 3, cancelled: false } },
    ]);
    w.child.stdin.end();
    assert.deepEqual(await w.exit(), { code: 0, signal: null });
  });
});
