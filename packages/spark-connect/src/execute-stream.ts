/**
 * Reattachable execution of one plan. The request asks for a reattachable execution with a
 * client-chosen operation id; the response stream is complete only after `result_complete`.
 * If the stream breaks (transport error) or ends early, the client calls
 * `ReattachExecute(operation_id, last_response_id)` and continues where it left off, with
 * bounded retries and backoff. When the consumer is done (or gives up early), the
 * execution is released with `ReleaseExecute(ReleaseAll)` so the server frees its buffers.
 */
import type { ClientReadableStream } from '@grpc/grpc-js';
import type { ExecutePlanResponse, Plan } from './gen/spark/connect/base_pb.js';
import { SparkConnectClient } from './spark-connect-client.js';
import { backoffMs, isRetryable, sleep } from './retry-policy.js';

/** One stage in an ExecutionProgress report. */
export interface StageProgress {
  stageId: number;
  numTasks: number;
  numCompletedTasks: number;
  /** Bytes read from the input so far. */
  inputBytesRead: number;
  done: boolean;
}

/** A progress report; the server sends one every `spark.connect.progress.reportInterval` (2 s). */
export interface ProgressEvent {
  operationId: string;
  stages: StageProgress[];
  numInflightTasks: number;
}

export interface ExecuteOptions {
  /** Tags for `session.interruptTag(tag)`; no ',' and not empty. */
  tags?: string[];
  /** Called with every ExecutionProgress report. */
  onProgress?: (p: ProgressEvent) => void;
}

/** Statistics of one execution, for tests and diagnostics. */
export interface ExecuteStats {
  operationId: string;
  /** How many times the stream was reattached. */
  reattaches: number;
  responses: number;
}

/**
 * Runs `plan` and yields every response except progress and `result_complete`.
 * `stats` is filled in as the stream advances.
 */
export async function* executePlanStream(
  client: SparkConnectClient,
  plan: Plan,
  options: ExecuteOptions = {},
  stats: ExecuteStats = { operationId: SparkConnectClient.newOperationId(), reattaches: 0, responses: 0 },
): AsyncGenerator<ExecutePlanResponse, void, undefined> {
  const operationId = stats.operationId;
  const request = client.executeRequest({
    operationId,
    plan,
    tags: options.tags ?? [],
    requestOptions: [{ requestOption: { case: 'reattachOptions', value: { reattachable: true } } }],
  });
  let lastResponseId: string | undefined;
  // True once the server acknowledged the operation (any response). Before that, a broken
  // call is retried with ExecutePlan itself; after it, with ReattachExecute.
  let acknowledged = false;
  let complete = false;
  let failures = 0;
  const startedMs = Date.now();
  let call: ClientReadableStream<ExecutePlanResponse> | undefined;
  try {
    while (!complete) {
      call = acknowledged ? client.openReattach(operationId, lastResponseId) : client.openExecute(request);
      if (acknowledged) stats.reattaches++;
      try {
        for await (const r of call as AsyncIterable<ExecutePlanResponse>) {
          acknowledged = true;
          failures = 0;
          lastResponseId = r.responseId;
          stats.responses++;
          const t = r.responseType;
          if (t.case === 'resultComplete') {
            complete = true;
          } else if (t.case === 'executionProgress') {
            options.onProgress?.({
              operationId,
              numInflightTasks: Number(t.value.numInflightTasks),
              stages: t.value.stages.map((s) => ({
                stageId: Number(s.stageId),
                numTasks: Number(s.numTasks),
                numCompletedTasks: Number(s.numCompletedTasks),
                inputBytesRead: Number(s.inputBytesRead),
                done: s.done,
              })),
            });
          } else {
            yield r;
          }
        }
        // A stream that ends without ResultComplete has more to come: reattach.
        if (!complete) acknowledged = true;
      } catch (e) {
        call.cancel();
        if (!isRetryable(e) && !(acknowledged === false && isOperationNotFound(e))) {
          throw await client.convertError(e, failures + 1, startedMs);
        }
        if (isOperationNotFound(e)) acknowledged = false;
        failures++;
        if (failures > client.retry.maxRetries) throw await client.convertError(e, failures, startedMs);
        await sleep(backoffMs(failures, client.retry));
      }
    }
  } finally {
    call?.cancel();
    if (acknowledged) {
      // Frees the server's response buffer; after an abandon it also interrupts the query.
      client.releaseExecute(operationId).catch(() => undefined);
    }
  }
}

function isOperationNotFound(e: unknown): boolean {
  return String((e as { details?: unknown })?.details ?? '').includes('INVALID_HANDLE.OPERATION_NOT_FOUND');
}
