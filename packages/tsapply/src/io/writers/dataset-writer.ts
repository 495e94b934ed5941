/**
 * Writes a Spark-style output directory: `path/part-00000.<ext>`, … plus an empty
 * `_SUCCESS` marker. Everything is written into a hidden temporary sibling
 * (`.<name>.tsapply-tmp-<random>`, same file system) and renamed into place only
 * after the whole job succeeded, so a failed run leaves nothing behind.
 *
 * `mode: 'error'` (default) refuses an existing path before the job starts;
 * `mode: 'overwrite'` swaps directories: the old one is renamed aside, the new one
 * renamed in, then the old one deleted (if the second rename fails, the old one is
 * put back).
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import type * as arrow from 'apache-arrow';
import type { OutputFormat } from '@tsapply/common';
import { OutputError } from '../../errors.js';
import { createArrowPartWriter } from './arrow-writer.js';
import { createCsvPartWriter } from './csv-writer.js';
import { createJsonlPartWriter } from './jsonl-writer.js';
import { createParquetPartWriter } from './parquet-writer.js';
import type { PartWriter, PartWriterFactory } from './part-writer.js';

export { OUTPUT_FORMATS } from '../output-formats.js';

const FACTORIES: Record<OutputFormat, { ext: string; create: PartWriterFactory }> = {
  parquet: { ext: 'parquet', create: createParquetPartWriter },
  csv: { ext: 'csv', create: createCsvPartWriter },
  jsonl: { ext: 'jsonl', create: createJsonlPartWriter },
  arrow: { ext: 'arrow', create: createArrowPartWriter },
};

export interface DatasetWriterOptions {
  /** Absolute output directory. */
  path: string;
  format: OutputFormat;
  mode: 'error' | 'overwrite';
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/** Creates missing parent folders and returns those it created (deepest last). */
async function mkdirTracked(dir: string): Promise<string[]> {
  const missing: string[] = [];
  let d = dir;
  while (!(await exists(d))) {
    missing.unshift(d);
    const up = dirname(d);
    if (up === d) break;
    d = up;
  }
  if (missing.length) await mkdir(dir, { recursive: true });
  return missing;
}

/** Inside a temporary output folder: `<host> <pid>` of the process writing it. */
const OWNER_FILE = '.tsapply-owner';

function tempPrefix(name: string): string {
  return `.${name}.tsapply-tmp-`;
}

/**
 * A run writes its owner record right after creating its temporary folder; one without
 * a record that has stood this long was left by a run killed in between.
 */
const OWNERLESS_GRACE_MS = 60_000;

/**
 * Removes the temporary folders of earlier runs into the same output whose process is
 * gone (killed with SIGKILL, a machine that lost power): they were never renamed into
 * place, so they hold no result anyone could mistake for complete, only wasted space.
 * So are folders without an owner record older than `OWNERLESS_GRACE_MS`. Folders of
 * live processes, of other hosts (a shared file system) and fresh ones without a record
 * (a run starting now) are left alone.
 */
async function removeAbandonedTemps(parent: string, name: string): Promise<void> {
  const prefix = tempPrefix(name);
  for (const entry of await readdir(parent).catch(() => [] as string[])) {
    if (!entry.startsWith(prefix)) continue;
    const folder = join(parent, entry);
    const owner = await readFile(join(folder, OWNER_FILE), 'utf8').catch(() => undefined);
    if (owner === undefined) {
      const made = await stat(folder).catch(() => undefined);
      if (made === undefined || Date.now() - made.mtimeMs < OWNERLESS_GRACE_MS) continue;
    } else {
      const [host, pid] = owner.trim().split(' ');
      if (host !== hostname() || pid === undefined || processAlive(Number(pid))) continue;
    }
    await rm(folder, { recursive: true, force: true });
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class DatasetWriter {
  private readonly parts = new Map<number, PartWriter>();
  private rows = 0;
  private done = false;

  private constructor(
    readonly options: DatasetWriterOptions,
    private readonly schema: arrow.Schema,
    private readonly tempDir: string,
    private readonly createdParents: string[],
  ) {}

  /** Fails early (before any work) when the output exists and mode is 'error'. */
  static async checkTarget(options: DatasetWriterOptions): Promise<void> {
    if (options.mode === 'error' && (await exists(options.path))) {
      throw new OutputError(
        `Output path "${options.path}" already exists. Add mode: 'overwrite' to output in the job file, or pass --overwrite, to replace it.`,
        { path: options.path, code: 'OUTPUT_EXISTS' },
      );
    }
  }

  static async open(options: DatasetWriterOptions, schema: arrow.Schema): Promise<DatasetWriter> {
    await DatasetWriter.checkTarget(options);
    const parent = dirname(options.path);
    let created: string[];
    try {
      created = await mkdirTracked(parent);
      await removeAbandonedTemps(parent, basename(options.path));
      const temp = join(parent, `${tempPrefix(basename(options.path))}${randomBytes(6).toString('hex')}`);
      await mkdir(temp);
      await writeFile(join(temp, OWNER_FILE), `${hostname()} ${process.pid}\n`);
      return new DatasetWriter(options, schema, temp, created);
    } catch (e) {
      throw new OutputError(`Cannot create output "${options.path}": ${(e as Error).message}`, { path: options.path }, { cause: e });
    }
  }

  /** Appends a result batch to partition `partition`'s part file (opened on first use). */
  async write(partition: number, batch: arrow.RecordBatch): Promise<void> {
    let part = this.parts.get(partition);
    if (!part) {
      const { ext, create } = FACTORIES[this.options.format];
      const name = `part-${String(partition).padStart(5, '0')}.${ext}`;
      part = await create(join(this.tempDir, name), this.schema);
      this.parts.set(partition, part);
    }
    this.rows += batch.numRows;
    await part.write(batch);
  }

  /** Closes every part, writes `_SUCCESS`, and moves the directory into place. */
  async commit(): Promise<void> {
    // An empty result still gets one (empty) part file, so the schema survives.
    if (this.parts.size === 0) {
      const { ext, create } = FACTORIES[this.options.format];
      this.parts.set(0, await create(join(this.tempDir, `part-00000.${ext}`), this.schema));
    }
    for (const part of this.parts.values()) await part.close();
    // The owner record is the temporary folder's, not part of the output.
    await rm(join(this.tempDir, OWNER_FILE), { force: true });
    await writeFile(join(this.tempDir, '_SUCCESS'), '');
    const target = this.options.path;
    if (await exists(target)) {
      if (this.options.mode !== 'overwrite') {
        // Appeared while the job ran.
        await DatasetWriter.checkTarget(this.options);
      }
      const aside = join(dirname(target), `.${basename(target)}.tsapply-old-${randomBytes(6).toString('hex')}`);
      await rename(target, aside);
      try {
        await rename(this.tempDir, target);
      } catch (e) {
        await rename(aside, target);
        throw e;
      }
      await rm(aside, { recursive: true, force: true });
    } else {
      await rename(this.tempDir, target);
    }
    this.done = true;
  }

  /** Discards everything written (and parent folders this writer created). */
  async abort(): Promise<void> {
    if (this.done) return;
    this.done = true;
    for (const part of this.parts.values()) await part.destroy().catch(() => undefined);
    await rm(this.tempDir, { recursive: true, force: true });
    for (const dir of [...this.createdParents].reverse()) await rmdir(dir).catch(() => undefined);
  }

  get rowsWritten(): number {
    return this.rows;
  }

  get partCount(): number {
    return this.parts.size;
  }
}
