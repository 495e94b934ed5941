/**
 * The RPC layer of one Spark session: every request carries the session id, user context
 * and `client_type`; every call carries the connection string's extra headers and the
 * bearer token; transient failures are retried with bounded backoff; Spark failures become
 * `SparkError`s (with FetchErrorDetails), an unreachable server a `SparkConnectionError`.
 */
import { randomUUID } from 'node:crypto';
import { Metadata, status, type ClientReadableStream, type ClientWritableStream, type Interceptor, type ServiceError } from '@grpc/grpc-js';
import { create, type MessageInitShape } from '@bufbuild/protobuf';
import {
  AddArtifactsRequestSchema,
  AnalyzePlanRequestSchema,
  ArtifactStatusesRequestSchema,
  ConfigRequestSchema,
  ExecutePlanRequestSchema,
  FetchErrorDetailsRequestSchema,
  InterruptRequestSchema,
  ReattachExecuteRequestSchema,
  ReleaseExecuteRequestSchema,
  ReleaseSessionRequestSchema,
  UserContextSchema,
  type AddArtifactsRequest,
  type AddArtifactsResponse,
  type AnalyzePlanResponse,
  type ArtifactStatusesResponse,
  type ConfigResponse,
  type ExecutePlanRequest,
  type ExecutePlanResponse,
  type FetchErrorDetailsResponse,
  type InterruptResponse,
  type UserContext,
} from './gen/spark/connect/base_pb.js';
import { addressOf, type ConnectionParams } from './connection-string.js';
import { createGrpcClient, usesTls } from './grpc-transport.js';
import { transportProblem, transportReason } from './transport-problem.js';
import { backoffMs, isRetryable, sleep, totalBackoffMs, type ResolvedRetryOptions } from './retry-policy.js';
import { readErrorInfo, sparkErrorFrom } from './error-details.js';
import { SparkConnectionError } from './errors.js';
import { CLIENT_VERSION } from './version.js';

type Init<S extends Parameters<typeof create>[0]> = Omit<MessageInitShape<S>, 'sessionId' | 'userContext' | 'clientType'>;

export interface ClientOptions {
  retry: ResolvedRetryOptions;
  interceptors?: Interceptor[] | undefined;
  /** See `CONNECT_DEADLINE_MS`. */
  connectTimeoutMs?: number;
}

/** `<user_agent> tsapply/<version> os/<platform> node/<version>`. */
export function buildUserAgent(custom: string | undefined): string {
  const own = `tsapply/${CLIENT_VERSION} os/${process.platform} node/${process.version.slice(1)}`;
  return custom ? `${custom} ${own}` : own;
}

/**
 * How long a call may wait before the server has answered for the first time, in
 * milliseconds: generous for a busy server creating the session, bounded so a port
 * that never answers gRPC fails with a message instead of hanging.
 */
export const CONNECT_DEADLINE_MS = 60_000;

export class SparkConnectClient {
  readonly params: ConnectionParams;
  /** UUID v4 of this session; from `session_id=` or fresh. */
  readonly sessionId: string;
  readonly userAgent: string;
  readonly retry: ResolvedRetryOptions;
  readonly address: string;
  private readonly grpc: ReturnType<typeof createGrpcClient>;
  /** Whether the channel uses TLS (for explaining connection failures). */
  private readonly secure: boolean;
  private readonly connectTimeoutMs: number;
  private readonly userContext: UserContext;
  /** Server-side session id seen in responses; sent back so a restarted server is noticed. */
  private serverSideSessionId: string | undefined;

  constructor(params: ConnectionParams, options: ClientOptions) {
    this.params = params;
    this.sessionId = params.sessionId ?? randomUUID();
    this.userAgent = buildUserAgent(params.userAgent);
    this.retry = options.retry;
    this.address = addressOf(params);
    this.secure = usesTls(params);
    this.connectTimeoutMs = options.connectTimeoutMs ?? CONNECT_DEADLINE_MS;
    this.grpc = createGrpcClient(params, { userAgent: this.userAgent, interceptors: options.interceptors });
    this.userContext = create(UserContextSchema, { userId: params.userId ?? process.env.USER ?? '', userName: params.userId ?? process.env.USER ?? '' });
  }

  /** Per-call metadata: extra connection-string parameters and the bearer token. */
  callMetadata(): Metadata {
    const md = new Metadata();
    for (const [k, v] of Object.entries(this.params.headers)) md.set(k, v);
    if (this.params.token !== undefined) md.set('authorization', `Bearer ${this.params.token}`);
    return md;
  }

  private common() {
    return {
      sessionId: this.sessionId,
      userContext: this.userContext,
      clientType: this.userAgent,
      ...(this.serverSideSessionId !== undefined ? { clientObservedServerSideSessionId: this.serverSideSessionId } : {}),
    };
  }

  private observe(r: { serverSideSessionId?: string }): void {
    if (r.serverSideSessionId) this.serverSideSessionId = r.serverSideSessionId;
  }

  /** Runs a unary call with retries on UNAVAILABLE; converts errors. */
  private async unary<R extends { serverSideSessionId?: string }>(method: string, request: unknown): Promise<R> {
    const started = Date.now();
    for (let attempt = 1; ; attempt++) {
      try {
        const r = await this.rawUnary<R>(method, request);
        this.observe(r);
        return r;
      } catch (e) {
        if (isRetryable(e) && attempt <= this.retry.maxRetries) {
          await sleep(backoffMs(attempt, this.retry));
          continue;
        }
        throw await this.convertError(e, attempt, started);
      }
    }
  }

  /** Converts a gRPC error into SparkError / SparkConnectionError. */
  async convertError(e: unknown, attempts: number, startedMs: number): Promise<Error> {
    const se = e as ServiceError;
    if (typeof se?.code !== 'number') return e as Error;
    const problem = se.code === status.UNAVAILABLE ? transportProblem(se.details ?? '', this.secure) : undefined;
    if (problem) {
      return new SparkConnectionError(
        `Cannot connect to the Spark Connect server at ${this.address} (${this.params.display}): ${problem.what}. ${problem.fix}`,
        { address: this.address, attempts, elapsedMs: Date.now() - startedMs },
        { cause: se },
      );
    }
    if (se.code === status.DEADLINE_EXCEEDED && this.serverSideSessionId === undefined) {
      return new SparkConnectionError(
        `The server at ${this.address} (${this.params.display}) did not answer a Spark Connect call within ${this.connectTimeoutMs / 1000} s: ` +
          'it may not be a Spark Connect server (another service on that port), or it is overloaded. Check host and port (Spark Connect listens on 15002 by default).',
        { address: this.address, attempts, elapsedMs: Date.now() - startedMs },
        { cause: se },
      );
    }
    if (se.code === status.UNIMPLEMENTED && this.serverSideSessionId === undefined) {
      return new SparkConnectionError(
        `The server at ${this.address} (${this.params.display}) is not a Spark Connect server: it answers gRPC but not spark.connect.SparkConnectService (${se.details}). Check host and port.`,
        { address: this.address, attempts, elapsedMs: Date.now() - startedMs },
        { cause: se },
      );
    }
    if (isRetryable(se)) {
      const elapsedMs = Date.now() - startedMs;
      return new SparkConnectionError(
        `Cannot reach the Spark Connect server at ${this.address} (${this.params.display}): ${transportReason(se.details || se.message)}. ` +
          `Gave up after ${attempts} attempt${attempts === 1 ? '' : 's'} over ${(elapsedMs / 1000).toFixed(1)} s ` +
          `(retry policy: ${this.retry.maxRetries} retries, up to ${(totalBackoffMs(this.retry) / 1000).toFixed(2)} s of backoff). ` +
          `Check that the server is running (tsapply spark status) and that host and port are right.`,
        { address: this.address, attempts, elapsedMs },
        { cause: se },
      );
    }
    const info = readErrorInfo(se.metadata);
    let details: FetchErrorDetailsResponse | undefined;
    if (info.errorId) {
      try {
        details = await this.rawUnary<FetchErrorDetailsResponse>(
          'fetchErrorDetails',
          create(FetchErrorDetailsRequestSchema, { ...this.common(), errorId: info.errorId }),
        );
      } catch {
        // The status message is still useful when the details are gone (session ended).
      }
    }
    return sparkErrorFrom(se, info, details);
  }

  private rawUnary<R>(method: string, request: unknown): Promise<R> {
    // Until the server has answered once, a call has a deadline: a port where something
    // other than Spark Connect listens (an HTTP/1 server) may otherwise hold it forever.
    const options = this.serverSideSessionId === undefined ? { deadline: Date.now() + this.connectTimeoutMs } : {};
    return new Promise<R>((resolve, reject) => {
      this.grpc[method]!(request, this.callMetadata(), options, (err: ServiceError | null, res: R) => (err ? reject(err) : resolve(res)));
    });
  }

  analyzePlan(init: Init<typeof AnalyzePlanRequestSchema>): Promise<AnalyzePlanResponse> {
    return this.unary('analyzePlan', create(AnalyzePlanRequestSchema, { ...init, ...this.common() } as never));
  }

  config(init: Init<typeof ConfigRequestSchema>): Promise<ConfigResponse> {
    return this.unary('config', create(ConfigRequestSchema, { ...init, ...this.common() } as never));
  }

  interrupt(init: Init<typeof InterruptRequestSchema>): Promise<InterruptResponse> {
    return this.unary('interrupt', create(InterruptRequestSchema, { ...init, ...this.common() } as never));
  }

  artifactStatus(names: string[]): Promise<ArtifactStatusesResponse> {
    return this.unary('artifactStatus', create(ArtifactStatusesRequestSchema, { names, ...this.common() }));
  }

  releaseExecute(operationId: string): Promise<unknown> {
    return this.unary('releaseExecute', create(ReleaseExecuteRequestSchema, { ...this.common(), operationId, release: { case: 'releaseAll', value: {} } }));
  }

  /** Ends the session on the server. Spark 3.5 has no such call: its sessions end on their idle timeout. */
  async releaseSession(): Promise<void> {
    try {
      await this.unary('releaseSession', create(ReleaseSessionRequestSchema, { sessionId: this.sessionId, userContext: this.userContext, clientType: this.userAgent }));
    } catch (e) {
      if (((e as Error).cause as ServiceError | undefined)?.code !== status.UNIMPLEMENTED) throw e;
    }
  }

  /** Builds an ExecutePlanRequest with this session's fields. */
  executeRequest(init: Init<typeof ExecutePlanRequestSchema>): ExecutePlanRequest {
    return create(ExecutePlanRequestSchema, { ...init, ...this.common() } as never);
  }

  /** Opens an ExecutePlan stream (no retries here; see ExecuteStream). */
  openExecute(request: ExecutePlanRequest): ClientReadableStream<ExecutePlanResponse> {
    return this.grpc.executePlan!(request, this.callMetadata()) as ClientReadableStream<ExecutePlanResponse>;
  }

  /** Opens a ReattachExecute stream resuming after `lastResponseId`. */
  openReattach(operationId: string, lastResponseId: string | undefined): ClientReadableStream<ExecutePlanResponse> {
    const req = create(ReattachExecuteRequestSchema, { ...this.common(), operationId, ...(lastResponseId !== undefined ? { lastResponseId } : {}) });
    return this.grpc.reattachExecute!(req, this.callMetadata()) as ClientReadableStream<ExecutePlanResponse>;
  }

  /** Client-streaming AddArtifacts: sends every request, resolves with the summary. */
  async addArtifacts(requests: Iterable<Init<typeof AddArtifactsRequestSchema>>): Promise<AddArtifactsResponse> {
    const started = Date.now();
    try {
      return await new Promise<AddArtifactsResponse>((resolve, reject) => {
        const call = this.grpc.addArtifacts!(this.callMetadata(), (err: ServiceError | null, res: AddArtifactsResponse) =>
          err ? reject(err) : resolve(res),
        ) as ClientWritableStream<AddArtifactsRequest>;
        const it = requests[Symbol.iterator]();
        // Respect the stream's backpressure so a large artifact is not buffered whole.
        const pump = (): void => {
          for (;;) {
            const next = it.next();
            if (next.done) {
              call.end();
              return;
            }
            if (!call.write(create(AddArtifactsRequestSchema, { ...next.value, ...this.common() } as never))) {
              call.once('drain', pump);
              return;
            }
          }
        };
        pump();
      });
    } catch (e) {
      throw await this.convertError(e, 1, started);
    }
  }

  /** Fresh operation id (UUID v4). */
  static newOperationId(): string {
    return randomUUID();
  }

  close(): void {
    this.grpc.close();
  }
}
