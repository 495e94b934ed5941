/** Helpers shared by the spark-local tests (Linux /proc based, like the CI machines). */
import { readdirSync, readFileSync } from 'node:fs';
import * as grpc from '@grpc/grpc-js';

/** True when a process with this pid exists and is not a zombie. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return false;
  }
}

/** Process group id of `pid` (field 5 of /proc/<pid>/stat). */
export function processGroup(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
}

/** Makes a raw gRPC call to the Connect service's Config method; resolves to the status code. */
export function configCallStatus(port: number, token?: string, host = 'localhost'): Promise<number> {
  const client = new grpc.Client(`${host}:${port}`, grpc.credentials.createInsecure());
  const metadata = new grpc.Metadata();
  if (token !== undefined) metadata.set('authorization', `Bearer ${token}`);
  return new Promise<number>((resolve) => {
    client.makeUnaryRequest(
      '/spark.connect.SparkConnectService/Config',
      (b: Buffer) => b,
      (b: Buffer) => b,
      Buffer.alloc(0),
      metadata,
      { deadline: Date.now() + 10_000 },
      (err) => resolve(err ? err.code : grpc.status.OK),
    );
  }).finally(() => client.close());
}

/** The server state files in a state folder (`server-<port>.json`, or a legacy `server.json`). */
export function stateFiles(stateDir: string): string[] {
  try {
    return readdirSync(stateDir).filter((n) => /^server(-\d+)?\.json$/.test(n)).sort();
  } catch {
    return [];
  }
}
