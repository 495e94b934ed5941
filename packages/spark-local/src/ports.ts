/**
 * Port checks before a server starts: is the port free, who holds it, and a free port
 * for callers (the test runner) that need one.
 */
import { createServer } from 'node:net';
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';

/** The interface the managed server binds: loopback only (it runs unauthenticated by default). */
export const LOOPBACK = '127.0.0.1';

/** Resolves true when nothing listens on `port` at 127.0.0.1 (or on all interfaces). */
export function isPortFree(port: number, host = LOOPBACK): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EADDRINUSE' || e.code === 'EACCES') resolve(false);
      else reject(e);
    });
    // exclusive: a clustered Node parent must not share the port with us.
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/**
 * A port free right now (there is always a small race until someone binds it), chosen
 * BELOW the OS's ephemeral range. A port the OS hands out for `listen(0)` comes from
 * that range, which is where the JVM we are about to start takes its own random ports
 * (driver RPC, block manager): the two collided once, the Connect server could not bind
 * and our readiness probe spoke HTTP/2 to Spark's RPC port ("Too large frame").
 */
export async function findFreePort(host = LOOPBACK): Promise<number> {
  const [low] = ephemeralPortRange();
  const first = 20000;
  for (let attempt = 0; attempt < 50 && low > first; attempt++) {
    const port = first + Math.floor(Math.random() * (low - first));
    if (await isPortFree(port, host)) return port;
  }
  return osAssignedPort(host);
}

/** The OS's ephemeral port range (Linux reports it; elsewhere IANA's 49152–65535). */
function ephemeralPortRange(): [number, number] {
  try {
    const [low, high] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    if (Number.isInteger(low) && Number.isInteger(high)) return [low!, high!];
  } catch {
    // not Linux
  }
  return [49152, 65535];
}

function osAssignedPort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ port: 0, host, exclusive: true }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Pid of the process listening on TCP `port`, when knowable: Linux only, and only for
 * processes whose /proc/<pid>/fd we may read (same user or root). Finds the socket's
 * inode in /proc/net/tcp{,6} (state 0A = LISTEN), then the process holding that inode.
 */
export function findListeningPid(port: number): number | undefined {
  if (process.platform !== 'linux') return undefined;
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      // cols: sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode …
      if (cols.length < 10 || cols[3] !== '0A') continue;
      const localPort = parseInt(cols[1]!.split(':').pop()!, 16);
      if (localPort === port) inodes.add(cols[9]!);
    }
  }
  if (inodes.size === 0) return undefined;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${entry}/fd`);
    } catch {
      continue; // another user's process, or it just exited
    }
    for (const fd of fds) {
      try {
        const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${entry}/fd/${fd}`));
        if (m && inodes.has(m[1]!)) return Number(entry);
      } catch {
        // fd closed meanwhile
      }
    }
  }
  return undefined;
}
