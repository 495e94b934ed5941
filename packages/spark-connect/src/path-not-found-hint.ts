/**
 * Spark Connect reads paths on the server: a relative path (`spark.read.csv('data.csv')`)
 * is resolved against the server's working folder, not the program's, which surprises
 * everyone coming from a local PySpark session. When Spark reports PATH_NOT_FOUND and
 * the file is in fact there relative to this program's folder, or a file with a close
 * name sits where Spark looked, the hint says so. It only reads this machine's files,
 * and says nothing when they do not answer.
 */
import { existsSync } from 'node:fs';
import { isAbsolute, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fileNamedLike } from '@tsapply/common';

/** The local path of a `file:` URL or plain path Spark reported, or undefined for other schemes (hdfs:, s3a:…). */
function localPath(reported: string): string | undefined {
  if (reported.startsWith('file:')) {
    try {
      return fileURLToPath(reported.replace(/^file:\/*/, 'file:///'));
    } catch {
      return undefined;
    }
  }
  return isAbsolute(reported) ? reported : undefined;
}

/** Sentences to add to a PATH_NOT_FOUND message, or '' when this machine knows nothing better. */
export function pathNotFoundHint(reported: string | undefined, cwd = process.cwd()): string {
  const path = reported === undefined ? undefined : localPath(reported);
  if (path === undefined) return '';
  // The shortest tail of the path that names a file in this program's folder.
  const parts = path.split(sep).filter((p) => p !== '');
  for (let i = parts.length - 1; i >= 0; i--) {
    const tail = parts.slice(i).join(sep);
    const here = join(cwd, tail);
    if (here !== path && existsSync(here)) {
      const serverFolder = path.slice(0, path.length - tail.length).replace(/[/\\]$/, '') || sep;
      return (
        `\nA relative path is read from the Spark server's working folder (${serverFolder}), not from this program's (${cwd}), where ${tail} is. ` +
        `Pass an absolute path, e.g. path.resolve('${tail}') — on a cluster, one every executor can read.`
      );
    }
  }
  const meant = fileNamedLike(path);
  return meant === undefined ? '' : `\nDid you mean ${meant}?`;
}
