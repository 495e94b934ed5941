/**
 * The objects an object-mode stream gives, as arrays of what it has buffered: one await
 * per array instead of one per object. Reading a text file record by record through a
 * chain of async generators spent more time switching between them than parsing.
 */
import type { Readable } from 'node:stream';

export async function* bufferedBatches<T>(stream: Readable): AsyncGenerator<T[]> {
  // The stream's own iterator waits for data, the end and errors; what is already
  // buffered when it hands over an object is taken with it.
  for await (const first of stream as AsyncIterable<T>) {
    const batch: T[] = [first];
    for (let next = stream.read() as T | null; next !== null; next = stream.read() as T | null) batch.push(next);
    yield batch;
  }
}
