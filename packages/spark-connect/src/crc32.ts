/**
 * CRC-32 (IEEE 802.3 / zlib polynomial), as Spark verifies artifact chunks with
 * `java.util.zip.CRC32`. Uses `node:zlib`'s native `crc32` (Node >= 20.15 / 22.2) and a
 * table-driven fallback on older Node 20 releases.
 */
import * as zlib from 'node:zlib';

let table: Uint32Array | undefined;

function crc32Table(): Uint32Array {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
}

/** Portable implementation, exported for tests. */
export function crc32Portable(data: Uint8Array): number {
  table ??= crc32Table();
  let c = 0xffffffff;
  for (let i = 0; i < data.length; i++) c = table[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

const native = (zlib as unknown as { crc32?: (d: Uint8Array) => number }).crc32;

/** CRC-32 of `data` as an unsigned 32-bit integer. */
export function crc32(data: Uint8Array): number {
  return native ? native(data) : crc32Portable(data);
}
