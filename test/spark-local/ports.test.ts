import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { findFreePort, findListeningPid, isPortFree } from '@tsapply/spark-local';

describe('ports', () => {
  it('findFreePort gives a free port below the ephemeral range, where the JVM takes its own random ports', async () => {
    const low = process.platform === 'linux' ? Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]) : 49152;
    for (let i = 0; i < 20; i++) {
      const port = await findFreePort();
      assert.ok(port >= 1024 && port < low, `port ${port} is below ${low}`);
      assert.equal(await isPortFree(port), true);
    }
  });

  it('isPortFree and findListeningPid see a listener', async () => {
    const port = await findFreePort();
    const server = createServer();
    await new Promise<void>((resolve) => server.listen({ port, host: '127.0.0.1' }, resolve));
    try {
      assert.equal(await isPortFree(port), false);
      if (process.platform === 'linux') assert.equal(findListeningPid(port), process.pid);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    assert.equal(await isPortFree(port), true);
  });
});
