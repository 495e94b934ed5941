/**
 * Maps V8 stack traces that run through a payload's bundle back to the user's
 * ORIGINAL TypeScript sources, and drops tsapply's own frames.
 *
 * The bundle is evaluated under a synthetic script name (`tsapply-bundle:<hash>.js`),
 * so its frames are recognised by name, not by guessing. The source map is parsed
 * lazily — only when an error actually needs mapping — because most workers never
 * see one.
 *
 * Source paths: the bundler writes each map `source` relative to the job's working
 * root (see `bundler/src/index.ts`), e.g. `examples/weather.ts`; they are reported
 * as written, after stripping `file://` and a leading `./`, and absolute paths under
 * the current directory are made relative to it.
 */
import { createRequire } from 'node:module';
import { dirname, isAbsolute, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SourceMapConsumer } from 'source-map-js';
import type { SourceLocation } from '@tsapply/common';

/** One parsed `    at …` line of a V8 stack. */
interface StackFrame {
  /** Text between `at ` and the location, e.g. `Object.apply ` or `async ` (may be empty). */
  prefix: string;
  file: string;
  /** 1-based line. */
  line: number;
  /** 1-based column. */
  column: number;
}

export interface MappedStack {
  /** First user frame in the ORIGINAL sources (skipping bundled node_modules), when any. */
  location: SourceLocation | undefined;
  /** Header line(s) plus only user frames, bundle positions mapped to original sources. */
  userStack: string | undefined;
}

// `    at name (file:1:2)` or `    at file:1:2`. The file part is lazy so `tsapply-bundle:x.js` keeps its colon.
const FRAME_RE = /^\s*at (?:(.*?)\()?(.+?):(\d+):(\d+)\)?\s*$/;

/** Folders whose frames are tsapply or pool internals, never shown to users. */
const INTERNAL_DIRS: string[] = (() => {
  const dirs = [dirname(fileURLToPath(import.meta.url))];
  const require = createRequire(import.meta.url);
  for (const pkg of ['@tsapply/common', 'piscina']) {
    try {
      dirs.push(dirname(require.resolve(pkg)));
    } catch {
      // Not resolvable from here: its frames then fall to the substring checks below.
    }
  }
  return dirs.map((d) => d + sep);
})();

function isInternalFile(file: string): boolean {
  if (file.startsWith('node:') || file.startsWith('internal/')) return true;
  const path = file.startsWith('file://') ? safeFileURLToPath(file) : file;
  if (INTERNAL_DIRS.some((d) => path.startsWith(d))) return true;
  return /[\\/]node_modules[\\/](?:@tsapply[\\/]|piscina[\\/])/.test(path);
}

/**
 * A mapped source that is tsapply's own: the job-side API bundled into the user's
 * bundle, or the entry tsapply generates around a shipped function
 * (`__tsapply_entry__.js`, which holds no user code).
 */
function isInternalSource(source: string): boolean {
  return source === '__tsapply_entry__.js' || /(?:^|[\\/])(?:node_modules[\\/]@tsapply[\\/]|packages[\\/]common[\\/])/.test(source);
}

function isDependencySource(source: string): boolean {
  return /(?:^|[\\/])node_modules[\\/]/.test(source);
}

function safeFileURLToPath(url: string): string {
  try {
    return fileURLToPath(url);
  } catch {
    return url;
  }
}

/** Normalises a source-map `source` for display (see the module doc). */
export function displaySource(source: string): string {
  let s = source.startsWith('file://') ? safeFileURLToPath(source) : source;
  if (isAbsolute(s)) {
    const rel = relative(process.cwd(), s);
    if (!rel.startsWith('..') && !isAbsolute(rel)) s = rel;
  }
  s = s.replace(/^(?:\.\/)+/, '');
  return sep === '\\' ? s.replace(/\\/g, '/') : s;
}

export class BundleSourceMapper {
  private consumer: SourceMapConsumer | null | undefined;

  /**
   * @param bundleFilename the script name the bundle was evaluated under.
   * @param sourceMapJson the payload's source map (JSON text); `''` disables mapping.
   */
  constructor(
    readonly bundleFilename: string,
    private readonly sourceMapJson: string,
  ) {}

  private getConsumer(): SourceMapConsumer | null {
    if (this.consumer === undefined) {
      try {
        this.consumer = this.sourceMapJson ? new SourceMapConsumer(JSON.parse(this.sourceMapJson)) : null;
      } catch {
        // A broken map must not hide the user's error; frames stay unmapped.
        this.consumer = null;
      }
    }
    return this.consumer;
  }

  /** Maps a bundle position (1-based line and column) to the original source, if the map knows it. */
  mapPosition(line: number, column: number): SourceLocation | undefined {
    const consumer = this.getConsumer();
    if (consumer === null) return undefined;
    let pos = consumer.originalPositionFor({ line, column: column - 1 });
    if (pos.source === null || pos.line === null) {
      pos = consumer.originalPositionFor({ line, column: column - 1, bias: SourceMapConsumer.LEAST_UPPER_BOUND });
    }
    if (pos.source === null || pos.line === null || pos.column === null) return undefined;
    return { file: displaySource(pos.source), line: pos.line, column: pos.column + 1 };
  }

  /** Maps the `stack` of an error thrown by user code (see `MappedStack`). */
  mapStack(stack: string | undefined): MappedStack {
    if (typeof stack !== 'string' || stack === '') return { location: undefined, userStack: undefined };
    const lines = stack.split('\n');
    const firstFrame = lines.findIndex((l) => /^\s+at /.test(l));
    const header = (firstFrame === -1 ? lines : lines.slice(0, firstFrame)).join('\n');
    const out: string[] = [];
    let location: SourceLocation | undefined;
    let fallback: SourceLocation | undefined;
    for (const text of firstFrame === -1 ? [] : lines.slice(firstFrame)) {
      const frame = parseFrame(text);
      if (frame === undefined) continue; // `at new Promise (<anonymous>)`, native frames…
      if (frame.file === this.bundleFilename) {
        const mapped = this.mapPosition(frame.line, frame.column);
        if (mapped === undefined) {
          out.push(formatFrame(frame.prefix, `${frame.file}:${frame.line}:${frame.column}`));
          continue;
        }
        if (isInternalSource(mapped.file)) continue;
        fallback ??= mapped;
        if (location === undefined && !isDependencySource(mapped.file)) location = mapped;
        out.push(formatFrame(frame.prefix, `${mapped.file}:${mapped.line}:${mapped.column}`));
      } else if (!isInternalFile(frame.file)) {
        out.push(formatFrame(frame.prefix, `${frame.file}:${frame.line}:${frame.column}`));
      }
    }
    return { location: location ?? fallback, userStack: [header, ...out].join('\n') };
  }
}

function parseFrame(text: string): StackFrame | undefined {
  const m = FRAME_RE.exec(text);
  if (m === null) return undefined;
  return { prefix: m[1] ?? '', file: m[2]!, line: Number(m[3]), column: Number(m[4]) };
}

function formatFrame(prefix: string, where: string): string {
  return prefix ? `    at ${prefix}(${where})` : `    at ${where}`;
}
