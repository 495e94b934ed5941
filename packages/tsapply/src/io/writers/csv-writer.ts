/** CSV part writer (csv-stringify): a header line, then one line per row; see value-format.ts. */
import { stringify } from 'csv-stringify/sync';
import type * as arrow from 'apache-arrow';
import { vectorToJS } from '@tsapply/common';
import { FileSink } from './file-sink.js';
import type { PartWriter } from './part-writer.js';
import { toCsvText } from './value-format.js';

export async function createCsvPartWriter(path: string, schema: arrow.Schema): Promise<PartWriter> {
  const sink = new FileSink(path);
  await sink.write(stringify([schema.fields.map((f) => f.name)]));
  return {
    async write(batch) {
      // Columnar: convert each column once, then transpose into text records.
      const columns = schema.fields.map((f, i) => ({ values: vectorToJS(batch.getChildAt(i)!), type: f.type }));
      const records: string[][] = new Array(batch.numRows);
      for (let r = 0; r < batch.numRows; r++) {
        const rec = new Array<string>(columns.length);
        for (let c = 0; c < columns.length; c++) rec[c] = toCsvText(columns[c]!.values[r], columns[c]!.type);
        records[r] = rec;
      }
      await sink.write(stringify(records));
    },
    close: () => sink.close(),
    destroy: () => sink.destroy(),
  };
}
