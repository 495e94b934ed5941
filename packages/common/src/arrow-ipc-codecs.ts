/**
 * Decoders for compressed Arrow IPC bodies. Arrow's IPC format may compress each buffer
 * with LZ4 (frame format) or Zstandard, and common writers do by default: pandas'
 * `to_feather` and pyarrow's `feather.write_feather` use LZ4. apache-arrow reads such
 * files only once a codec is registered for the compression type.
 */
import type { compressionRegistry as Registry } from 'apache-arrow';
import { lz4FrameDecompress } from './serializers/lz4.js';
import { zstdAutoDecoder, zstdDecompress } from './serializers/zstd-codecs.js';

/** Arrow's `CompressionType` values (Message.fbs): fixed by the format. */
const LZ4_FRAME = 0;
const ZSTD = 1;

/**
 * Registers LZ4 and Zstandard decoders with `registry`: pass the `compressionRegistry` of
 * the apache-arrow the reading code imports, so it is that copy's registry that learns
 * them. Decoders load their libraries on first use only.
 */
export function registerArrowIpcCodecs(registry: typeof Registry): void {
  if (registry.get(LZ4_FRAME)?.decode === undefined) registry.set(LZ4_FRAME, { decode: lz4FrameDecompress });
  if (registry.get(ZSTD)?.decode === undefined) registry.set(ZSTD, { decode: (frame) => zstdDecompress(frame, zstdAutoDecoder()) });
}
