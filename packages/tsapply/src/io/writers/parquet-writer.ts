/**
 * Parquet part writer on parquet-wasm's streaming encoder (`transformParquetStream`):
 * each result batch crosses into wasm memory as an Arrow IPC message and becomes one
 * row group; encoded bytes are piped to the file as they come. The queue between
 * `write` and the encoder holds at most two batches, so memory stays bounded.
 */
import { createWriteStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import * as arrow from 'apache-arrow';
import { Table as WasmTable, transformParquetStream, writeParquet, WriterPropertiesBuilder, Compression } from 'parquet-wasm';
import type { PartWriter } from './part-writer.js';

type WasmBatch = ReturnType<WasmTable['recordBatches']>[number];

function toWasmBatches(batch: arrow.RecordBatch): WasmBatch[] {
  return WasmTable.fromIPCStream(arrow.tableToIPC(new arrow.Table([batch]), 'stream')).recordBatches();
}

function writerProperties() {
  // Snappy, as Spark writes by default.
  return new WriterPropertiesBuilder().setCompression(Compression.SNAPPY).build();
}

export async function createParquetPartWriter(path: string, schema: arrow.Schema): Promise<PartWriter> {
  const queue: (WasmBatch | null)[] = [];
  let wakeReader: (() => void) | undefined;
  let wakeWriter: (() => void) | undefined;
  let started: Promise<void> | undefined;
  let wrote = false;

  const source = new ReadableStream<WasmBatch>(
    {
      async pull(controller) {
        while (queue.length === 0) await new Promise<void>((r) => (wakeReader = r));
        const next = queue.shift()!;
        wakeWriter?.();
        if (next === null) controller.close();
        else controller.enqueue(next);
      },
    },
    { highWaterMark: 0 },
  );

  const push = (item: WasmBatch | null) => {
    queue.push(item);
    wakeReader?.();
  };

  const start = () => {
    started ??= (async () => {
      const bytes = await transformParquetStream(source, writerProperties());
      await pipeline(Readable.fromWeb(bytes as unknown as NodeReadableStream<Uint8Array>), createWriteStream(path));
    })();
    // Surface encoder failures on the next write/close rather than as unhandled rejections.
    started.catch(() => undefined);
    return started;
  };

  return {
    async write(batch) {
      if (batch.numRows === 0) return;
      wrote = true;
      start();
      for (const wb of toWasmBatches(batch)) push(wb);
      while (queue.length > 2) await Promise.race([new Promise<void>((r) => (wakeWriter = r)), started!.then(() => undefined)]);
    },
    async close() {
      if (!wrote) {
        // No rows: write a valid, empty file that still carries the schema.
        const empty = WasmTable.fromIPCStream(arrow.tableToIPC(new arrow.Table(schema), 'stream'));
        await writeFile(path, writeParquet(empty, writerProperties()));
        return;
      }
      push(null);
      await started;
    },
    async destroy() {
      queue.length = 0;
      push(null);
      await started?.catch(() => undefined);
    },
  };
}
