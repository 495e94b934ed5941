/**
 * Is a Spark Connect server answering on this port? A TCP connect only proves that
 * something listens; this makes a real gRPC call to the Connect service
 * (`SparkConnectService/Config` with an empty request) and accepts any answer FROM the
 * service — an empty request is refused by Spark itself (4.1: INTERNAL
 * `[INVALID_HANDLE.FORMAT] The handle  is invalid…`; UNAUTHENTICATED when a token is
 * required and not sent), which is exactly the proof we want. UNAVAILABLE / DEADLINE_EXCEEDED mean "not up yet";
 * UNIMPLEMENTED means a gRPC server without Spark Connect.
 */
import * as grpc from '@grpc/grpc-js';

export type ProbeResult = 'ready' | 'not-ready' | 'not-spark-connect';

const CONFIG_METHOD = '/spark.connect.SparkConnectService/Config';

export function probeSparkConnect(port: number, token?: string, timeoutMs = 5000): Promise<ProbeResult> {
  const client = new grpc.Client(`localhost:${port}`, grpc.credentials.createInsecure());
  const metadata = new grpc.Metadata();
  if (token !== undefined) metadata.set('authorization', `Bearer ${token}`);
  return new Promise<ProbeResult>((resolve) => {
    client.makeUnaryRequest(
      CONFIG_METHOD,
      (b: Buffer) => b,
      (b: Buffer) => b,
      Buffer.alloc(0), // the protobuf encoding of a ConfigRequest with every field unset
      metadata,
      { deadline: Date.now() + timeoutMs },
      (err) => {
        if (!err) return resolve('ready');
        if (err.code === grpc.status.UNAVAILABLE || err.code === grpc.status.DEADLINE_EXCEEDED) return resolve('not-ready');
        if (err.code === grpc.status.UNIMPLEMENTED) return resolve('not-spark-connect');
        resolve('ready');
      },
    );
  }).finally(() => client.close());
}
