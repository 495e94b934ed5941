/**
 * The file a mistyped path most likely meant: one beside it, in the same folder, with a
 * close name (`wether.csv` → `weather.csv`). Used wherever a path the user typed is not
 * found: a job file to bundle, a job's input.
 */
import { readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { closestName } from './did-you-mean.js';

/** The path of a file beside `path` whose name is close to its name, or undefined. */
export function fileNamedLike(path: string): string | undefined {
  let names: string[];
  try {
    names = readdirSync(dirname(path), { withFileTypes: true })
      .filter((d) => d.isFile())
      .map((d) => d.name);
  } catch {
    return undefined; // the folder is missing too
  }
  const name = closestName(basename(path), names);
  return name === undefined ? undefined : join(dirname(path), name);
}
