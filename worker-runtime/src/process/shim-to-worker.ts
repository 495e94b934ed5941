/**
 * Messages from the Python shim to the Node worker (the worker's stdin).
 *
 * One task at a time: `start` (which payload, partition, output schema, group
 * columns) → the input's `schema` frame (its Arrow IPC schema message) and then zero or
 * more `batch` frames, each the next record batch's IPC message, read by one reader
 * per task (`InputStream`) → `end` (input finished; send the rest of the results
 * and `done`) or `cancel` (the consumer stopped early or the shim's input failed:
 * stop working, discard what remains, answer `done` unless an `error` was already
 * sent). The shim writes these from a feeder thread while it reads the worker's
 * answers on another, so the worker may block writing results while input waits in
 * the pipe — and vice versa — without deadlock. Closing stdin asks the worker to exit.
 */
import { RecordBatchReader } from 'apache-arrow';
import type { RecordBatch, RecordBatchStreamReader } from 'apache-arrow';
import { ProtocolError } from '../errors.js';
import { FrameType, type RawFrame } from './frames.js';

export { ProtocolError };

export type TaskMode = 'map' | 'grouped';

export interface StartMessage {
  type: 'start';
  /** Shim protocol version; the worker refuses others. */
  protocol: number;
  /** Task counter of the shim process (diagnostics only). */
  task: number;
  /** Spark partition id, shown in errors and `ctx.partitionIndex`. */
  partitionIndex: number;
  /**
   * 'map': the function over each batch of the partition. 'grouped': the partition is
   * sorted by `groupColumns`; the worker cuts it into groups, one call each.
   */
  mode: TaskMode;
  /** Where the payload is on this host and the sha256 it must hash to. */
  payload: { path: string; sha256: string };
  /** Output schema as Spark DDL; null to use the payload's own. */
  schema: string | null;
  /** Group column names (grouped mode): groups are cut where they change; `ctx.key` holds their values. */
  groupColumns: string[];
  /** Longest one call of the user's function may run (ms); undefined: no limit. */
  taskTimeoutMs: number | undefined;
}

export type ShimToWorkerMessage =
  | StartMessage
  | { type: 'schema' }
  | { type: 'batch'; batch: RecordBatch; bytes: number }
  | { type: 'end' }
  | { type: 'cancel' };

export const WORKER_PROTOCOL_VERSION = 2;

const NO_BYTES = new Uint8Array(0);

/**
 * One task's input: the Arrow IPC stream the shim cuts at its messages, read by one
 * stream reader for the whole task, so the schema is decoded once and not per batch.
 * The reader pulls bytes from the frames handed to it; it asks for more only within a
 * message (a frame cut short) or, reading nothing, just after one.
 */
class InputStream {
  private readonly frames: Uint8Array[] = [];
  private readonly reader: RecordBatchStreamReader;

  constructor(schemaMessage: Uint8Array) {
    const frames = this.frames;
    const source = {
      [Symbol.iterator]: () => ({
        next(wanted?: number): IteratorResult<Uint8Array> {
          const value = frames.shift();
          if (value !== undefined) return { done: false, value };
          if (typeof wanted === 'number' && wanted > 0) {
            throw new ProtocolError(`An input frame ended inside an Arrow IPC message (${wanted} more bytes expected).`);
          }
          return { done: false, value: NO_BYTES };
        },
      }),
    };
    frames.push(schemaMessage);
    this.reader = RecordBatchReader.from(source) as RecordBatchStreamReader;
    this.reader.open();
    if (frames.length > 0) throw new ProtocolError('The input schema frame held no Arrow IPC schema message.');
  }

  /** The record batch whose IPC message is `message`. */
  read(message: Uint8Array): RecordBatch {
    this.frames.push(message);
    const next = this.reader.next();
    if (next.done || this.frames.length > 0) throw new ProtocolError('An input batch frame held no Arrow IPC record batch message.');
    return next.value;
  }
}

/**
 * Decodes the shim's frames in order. Keeps the current task's input stream: a `start`
 * drops it, a `schema` frame opens it, and each `batch` frame is read from it.
 */
export class ShimFrameDecoder {
  private input: InputStream | undefined;

  decode(frame: RawFrame): ShimToWorkerMessage {
    switch (frame.type) {
      case FrameType.start:
        this.input = undefined;
        return parseStart(frame.body);
      case FrameType.inputSchema:
        this.input = new InputStream(frame.body);
        return { type: 'schema' };
      case FrameType.inputBatch: {
        if (this.input === undefined) throw new ProtocolError("An input batch frame arrived before the task's schema frame.");
        return { type: 'batch', batch: this.input.read(frame.body), bytes: frame.body.byteLength };
      }
      case FrameType.end:
        return { type: 'end' };
      case FrameType.cancel:
        return { type: 'cancel' };
      default:
        throw new ProtocolError(
          `Unknown frame type ${frame.type} from the shim (valid: ${Object.values(FrameType).filter((t) => t < 16).join(', ')}). ` +
            'The shim and the worker bundle come from different tsapply versions.',
          { frameType: frame.type },
        );
    }
  }
}

function parseStart(body: Uint8Array): StartMessage {
  const msg = JSON.parse(Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8')) as Partial<StartMessage>;
  if (msg.protocol !== WORKER_PROTOCOL_VERSION) {
    throw new ProtocolError(
      `The shim speaks protocol ${String(msg.protocol)} but this worker speaks ${WORKER_PROTOCOL_VERSION}; ` +
        'the shim and the worker bundle come from different tsapply versions.',
    );
  }
  if (msg.mode !== 'map' && msg.mode !== 'grouped') throw new ProtocolError(`start.mode must be 'map' or 'grouped', got ${String(msg.mode)}.`);
  if (!Number.isInteger(msg.partitionIndex) || (msg.partitionIndex as number) < 0) {
    throw new ProtocolError(`start.partitionIndex must be a non-negative integer, got ${String(msg.partitionIndex)}.`);
  }
  if (typeof msg.payload?.path !== 'string' || typeof msg.payload?.sha256 !== 'string') {
    throw new ProtocolError('start.payload must be { path, sha256 } strings.');
  }
  return {
    type: 'start',
    protocol: msg.protocol,
    task: Number(msg.task ?? 0),
    partitionIndex: msg.partitionIndex as number,
    mode: msg.mode,
    payload: { path: msg.payload.path, sha256: msg.payload.sha256 },
    schema: typeof msg.schema === 'string' && msg.schema.trim() !== '' ? msg.schema : null,
    groupColumns: Array.isArray(msg.groupColumns) ? msg.groupColumns.map(String) : [],
    taskTimeoutMs: typeof msg.taskTimeoutMs === 'number' && msg.taskTimeoutMs > 0 ? msg.taskTimeoutMs : undefined,
  };
}
