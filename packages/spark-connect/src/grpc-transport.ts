/**
 * The gRPC transport: a `@grpc/grpc-js` client for `spark.connect.SparkConnectService`
 * whose (de)serializers are the protobuf-es generated schemas (`toBinary`/`fromBinary`),
 * and channel credentials chosen from the connection parameters.
 */
import { credentials, makeGenericClientConstructor, type Client, type ChannelCredentials, type Interceptor, type ServiceDefinition } from '@grpc/grpc-js';
import { fromBinary, toBinary, type DescMessage } from '@bufbuild/protobuf';
import { SparkConnectService } from './gen/spark/connect/base_pb.js';
import { addressOf, isLocalHost, type ConnectionParams } from './connection-string.js';
import { trustedRoots } from './tls-roots.js';

/** Spark's clients allow 128 MiB messages; large Arrow batches need it. */
const MAX_MESSAGE_BYTES = 128 * 1024 * 1024;

/**
 * HTTP/2 flow-control window we grant the server, per stream and per connection, in bytes.
 * grpc-js otherwise keeps HTTP/2's initial 64 KiB and never grows it (gRPC's C core, under
 * PySpark, grows its window by bandwidth probing). With 64 KiB the server must stop after
 * every 64 KiB of a result and wait until this process has run, read the data and sent a
 * WINDOW_UPDATE: one event-loop round trip per 64 KiB, i.e. ~6 per 4 MiB Arrow batch
 * (Spark's `spark.connect.grpc.arrow.maxBatchSize`), each as slow as a busy machine makes
 * scheduling us. 16 MiB lets the server stream several batches ahead; it is also the most
 * a stalled reader (e.g. a paused `toLocalIterator()`) can have buffered per connection.
 */
const FLOW_CONTROL_WINDOW_BYTES = 16 * 1024 * 1024;

function serviceDefinition(): ServiceDefinition {
  const def: Record<string, ServiceDefinition[string]> = {};
  for (const method of SparkConnectService.methods) {
    const input = method.input as DescMessage;
    const output = method.output as DescMessage;
    def[method.localName] = {
      path: `/${SparkConnectService.typeName}/${method.name}`,
      requestStream: method.methodKind === 'client_streaming' || method.methodKind === 'bidi_streaming',
      responseStream: method.methodKind === 'server_streaming' || method.methodKind === 'bidi_streaming',
      requestSerialize: (m: any) => Buffer.from(toBinary(input, m)),
      requestDeserialize: (b: Buffer) => fromBinary(input, b),
      responseSerialize: (m: any) => Buffer.from(toBinary(output, m)),
      responseDeserialize: (b: Buffer) => fromBinary(output, b),
    };
  }
  return def;
}

const SparkConnectClientCtor = makeGenericClientConstructor(serviceDefinition(), 'SparkConnectService');

/**
 * TLS when `use_ssl=true`, or when a token is given for a non-local host (a token must not
 * travel in clear text). A token for `localhost` without `use_ssl` uses a plain channel —
 * PySpark uses gRPC "local credentials" there, which grpc-js lacks; loopback never leaves
 * the machine. The token itself goes into per-call metadata (see `callMetadata`). Trusted
 * CAs: see `tls-roots.ts` (NODE_EXTRA_CA_CERTS adds a private one).
 */
export function channelCredentials(p: ConnectionParams): ChannelCredentials {
  return usesTls(p) ? credentials.createSsl(trustedRoots()) : credentials.createInsecure();
}

/** Whether a connection with these parameters uses TLS (see `channelCredentials`). */
export function usesTls(p: ConnectionParams): boolean {
  return p.useSsl || (p.token !== undefined && !isLocalHost(p.host));
}

export interface TransportOptions {
  userAgent: string;
  interceptors?: Interceptor[];
}

/** Creates the raw gRPC client; methods are the service's camelCase names. */
export function createGrpcClient(p: ConnectionParams, o: TransportOptions): Client & Record<string, Function> {
  return new SparkConnectClientCtor(addressOf(p), channelCredentials(p), {
    'grpc.primary_user_agent': o.userAgent,
    'grpc.max_receive_message_length': MAX_MESSAGE_BYTES,
    'grpc.max_send_message_length': MAX_MESSAGE_BYTES,
    'grpc-node.flow_control_window': FLOW_CONTROL_WINDOW_BYTES,
    'grpc.keepalive_time_ms': 30_000,
    'grpc.keepalive_timeout_ms': 20_000,
    interceptors: o.interceptors ?? [],
  }) as unknown as Client & Record<string, Function>;
}
