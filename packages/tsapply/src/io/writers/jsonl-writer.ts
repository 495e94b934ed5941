/** JSON Lines part writer: one object per line, 64-bit integers written with every digit. */
import type * as arrow from 'apache-arrow';
import { vectorToJS } from '@tsapply/common';
import { FileSink } from './file-sink.js';
import type { PartWriter } from './part-writer.js';
import { toJsonText } from './value-format.js';

export async function createJsonlPartWriter(path: string, schema: arrow.Schema): Promise<PartWriter> {
  const sink = new FileSink(path);
  const keys = schema.fields.map((f) => JSON.stringify(f.name));
  return {
    async write(batch) {
      const columns = schema.fields.map((f, i) => ({ values: vectorToJS(batch.getChildAt(i)!), type: f.type }));
      let text = '';
      for (let r = 0; r < batch.numRows; r++) {
        const parts: string[] = [];
        for (let c = 0; c < columns.length; c++) {
          const v = columns[c]!.values[r];
          // Spark's JSON writer omits null fields; so do we.
          if (v === null || v === undefined) continue;
          parts.push(`${keys[c]}:${toJsonText(v, columns[c]!.type)}`);
        }
        text += `{${parts.join(',')}}\n`;
      }
      await sink.write(text);
    },
    close: () => sink.close(),
    destroy: () => sink.destroy(),
  };
}
