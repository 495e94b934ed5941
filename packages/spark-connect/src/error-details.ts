/**
 * Turns a failed gRPC call into a `SparkError`. Spark puts a `google.rpc.Status` into the
 * `grpc-status-details-bin` trailer whose `ErrorInfo` metadata carries `errorClass`,
 * `sqlState`, `errorId` and `messageParameters` (JSON); the message in the status is
 * truncated, so the full one (and its causes, e.g. a Python worker's traceback) is
 * fetched with `FetchErrorDetails(errorId)`.
 */
import { fromBinary } from '@bufbuild/protobuf';
import type { Metadata, ServiceError } from '@grpc/grpc-js';
import { ErrorInfoSchema, StatusSchema } from './gen/google/rpc/error_details_pb.js';
import type { FetchErrorDetailsResponse } from './gen/spark/connect/base_pb.js';
import { SparkError, type SparkErrorFields } from './errors.js';

const ERROR_INFO_TYPE = 'type.googleapis.com/google.rpc.ErrorInfo';

/** What the status trailer says about the error. */
export interface StatusErrorInfo {
  reason?: string;
  errorClass?: string;
  sqlState?: string;
  errorId?: string;
  messageParameters?: Record<string, string>;
  classes?: string[];
}

/** Reads the ErrorInfo out of a call's trailing metadata, if Spark sent one. */
export function readErrorInfo(metadata: Metadata | undefined): StatusErrorInfo {
  const raw = metadata?.get('grpc-status-details-bin')[0];
  if (!raw || typeof raw === 'string') return {};
  const st = fromBinary(StatusSchema, raw);
  for (const any of st.details) {
    if (any.typeUrl !== ERROR_INFO_TYPE) continue;
    const info = fromBinary(ErrorInfoSchema, any.value);
    const md = info.metadata;
    return {
      reason: info.reason,
      errorClass: md.errorClass,
      sqlState: md.sqlState,
      errorId: md.errorId,
      messageParameters: parseJson<Record<string, string>>(md.messageParameters),
      classes: parseJson<string[]>(md.classes),
    };
  }
  return {};
}

function parseJson<T>(text: string | undefined): T | undefined {
  if (!text) return undefined;
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}

/**
 * Builds the SparkError. `details` is the FetchErrorDetails response when the server had
 * one; its root error's message replaces the truncated status message.
 */
export function sparkErrorFrom(e: ServiceError, info: StatusErrorInfo, details?: FetchErrorDetailsResponse): SparkError {
  const fields: SparkErrorFields = {
    errorClass: info.errorClass,
    sqlState: info.sqlState,
    errorId: info.errorId,
    messageParameters: info.messageParameters,
    grpcCode: e.code,
    errorTypeHierarchy: info.classes,
    serverMessage: e.details || e.message,
  };
  if (details && details.rootErrorIdx !== undefined && details.errors[details.rootErrorIdx]) {
    const root = details.errors[details.rootErrorIdx]!;
    fields.serverMessage = root.message;
    fields.errorTypeHierarchy = root.errorTypeHierarchy;
    const t = root.sparkThrowable;
    if (t?.errorClass) fields.errorClass = t.errorClass;
    if (t?.sqlState) fields.sqlState = t.sqlState;
    if (t && Object.keys(t.messageParameters).length > 0) fields.messageParameters = { ...t.messageParameters };
    const causes: string[] = [];
    let idx = root.causeIdx;
    const seen = new Set<number>();
    while (idx !== undefined && !seen.has(idx) && details.errors[idx]) {
      seen.add(idx);
      const c = details.errors[idx]!;
      causes.push(`${c.errorTypeHierarchy[0] ?? 'Error'}: ${c.message}`);
      idx = c.causeIdx;
    }
    fields.causes = causes;
  }
  return SparkError.fromFields(fields, { cause: e });
}
