/** Arrow IPC file-format part writer, streamed through apache-arrow's Node stream adapter. */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import * as arrow from 'apache-arrow';
import type { PartWriter } from './part-writer.js';

export async function createArrowPartWriter(path: string, schema: arrow.Schema): Promise<PartWriter> {
  const out = createWriteStream(path);
  const writer = new arrow.RecordBatchFileWriter();
  let failure: Error | undefined;
  out.on('error', (e) => (failure = e));
  const finished = once(out, 'finish');
  writer.toNodeStream().pipe(out);
  let wrote = false;
  return {
    async write(batch) {
      if (failure) throw failure;
      writer.write(batch);
      wrote = true;
      if (out.writableNeedDrain) await once(out, 'drain');
    },
    async close() {
      // An empty part still carries the schema, so it can be read back.
      if (!wrote) writer.reset(undefined, schema);
      writer.finish();
      await finished;
      if (failure) throw failure;
    },
    async destroy() {
      out.destroy();
    },
  };
}
