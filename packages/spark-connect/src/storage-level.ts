/**
 * Storage levels for `df.persist(level)` and `spark.catalog.cacheTable(name, level)`,
 * with PySpark's names (`StorageLevel.MEMORY_AND_DISK`, …).
 */
import type { StorageLevel as StorageLevelMessage } from './gen/spark/connect/common_pb.js';

export interface StorageLevel {
  useDisk: boolean;
  useMemory: boolean;
  useOffHeap: boolean;
  deserialized: boolean;
  replication: number;
}

const level = (useDisk: boolean, useMemory: boolean, useOffHeap: boolean, deserialized: boolean, replication = 1): StorageLevel =>
  Object.freeze({ useDisk, useMemory, useOffHeap, deserialized, replication });

export const StorageLevel = Object.freeze({
  NONE: level(false, false, false, false),
  DISK_ONLY: level(true, false, false, false),
  DISK_ONLY_2: level(true, false, false, false, 2),
  DISK_ONLY_3: level(true, false, false, false, 3),
  MEMORY_ONLY: level(false, true, false, false),
  MEMORY_ONLY_2: level(false, true, false, false, 2),
  MEMORY_AND_DISK: level(true, true, false, false),
  MEMORY_AND_DISK_2: level(true, true, false, false, 2),
  OFF_HEAP: level(true, true, true, false),
  MEMORY_AND_DISK_DESER: level(true, true, false, true),
});

/** The PySpark name of a level, or its flags when it has none. */
export function storageLevelName(l: StorageLevel): string {
  for (const [name, v] of Object.entries(StorageLevel)) {
    if (v.useDisk === l.useDisk && v.useMemory === l.useMemory && v.useOffHeap === l.useOffHeap && v.deserialized === l.deserialized && v.replication === l.replication) return name;
  }
  return `StorageLevel(${l.useDisk}, ${l.useMemory}, ${l.useOffHeap}, ${l.deserialized}, ${l.replication})`;
}

/** The level the server reported: one of the `StorageLevel` presets when it is one (so `===` works). */
export function fromStorageLevelMessage(m: StorageLevelMessage | undefined): StorageLevel {
  if (!m) return StorageLevel.NONE;
  const l = level(m.useDisk, m.useMemory, m.useOffHeap, m.deserialized, m.replication);
  return Object.values(StorageLevel).find((p) => storageLevelName(p) === storageLevelName(l)) ?? l;
}
