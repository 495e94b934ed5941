/**
 * A write stream that honours backpressure: `write` waits for `drain` when the
 * kernel buffer is full, so a fast producer cannot pile output up in memory.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';

export class FileSink {
  private readonly stream: WriteStream;
  private failure: Error | undefined;

  constructor(path: string) {
    this.stream = createWriteStream(path);
    this.stream.on('error', (e) => (this.failure = e));
  }

  async write(chunk: string | Uint8Array): Promise<void> {
    if (this.failure) throw this.failure;
    if (!this.stream.write(chunk)) await once(this.stream, 'drain');
  }

  async close(): Promise<void> {
    if (this.failure) throw this.failure;
    this.stream.end();
    await once(this.stream, 'finish');
  }

  async destroy(): Promise<void> {
    this.stream.destroy();
  }
}
