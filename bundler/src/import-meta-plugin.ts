/**
 * `import.meta.url`, `import.meta.filename` and `import.meta.dirname` inside a job.
 *
 * A bundle is CommonJS, where esbuild empties `import.meta`: a job that finds a file
 * beside itself (`new URL('./airports.csv', import.meta.url)`, the usual ES-module
 * idiom) failed at load with "Invalid URL". Each module that uses `import.meta` gets
 * the values it would have had run as a file on the driver, one set per module (a
 * helper in `lib/` sees its own folder, not the job's): esbuild's `define` turns the
 * expressions into identifiers, and this plugin declares them at the top of the
 * module, where esbuild binds them (renaming them apart across modules).
 *
 * esbuild names those modules itself, with an `empty-import-meta` warning each: the
 * bundler builds once without the plugin, and again with it for just those files, so
 * the many modules that never use `import.meta` are not read through JavaScript.
 *
 * The declarations go on the module's first line, so every later line keeps its number
 * and error locations stay the user's. On an executor the paths still name the
 * driver's disk: reading a file there fails with that path in the message.
 */
import { readFile } from 'node:fs/promises';
import { dirname, extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Loader, Message, Plugin } from 'esbuild';

const PROPERTIES = ['url', 'filename', 'dirname'] as const;
const identifierOf = (property: (typeof PROPERTIES)[number]) => `__tsapply_import_meta_${property}`;

const LOADERS: Readonly<Record<string, Loader>> = {
  '.ts': 'ts',
  '.mts': 'ts',
  '.cts': 'ts',
  '.tsx': 'tsx',
  '.js': 'js',
  '.mjs': 'js',
  '.cjs': 'js',
  '.jsx': 'jsx',
};

/** What `import.meta` holds in the ES module at `path` (absolute) run as a file under Node. */
export function importMetaOf(path: string): Readonly<Record<(typeof PROPERTIES)[number], string>> {
  return { url: pathToFileURL(path).href, filename: path, dirname: dirname(path) };
}

/** The module's source with the three declarations on its first line (after a `#!` line). */
export function withImportMeta(source: string, path: string): string {
  const values = importMetaOf(path);
  const declarations = `var ${PROPERTIES.map((p) => `${identifierOf(p)} = ${JSON.stringify(values[p])}`).join(', ')};`;
  const at = source.startsWith('#!') ? source.indexOf('\n') + 1 || source.length : 0;
  return source.slice(0, at) + declarations + source.slice(at);
}

/** Absolute paths of the modules esbuild said it emptied `import.meta` in. */
export function filesWithEmptyImportMeta(warnings: readonly Message[], root: string): string[] {
  const files = warnings.filter((w) => w.id === 'empty-import-meta' && w.location && (w.location.namespace === '' || w.location.namespace === 'file'));
  return [...new Set(files.map((w) => resolve(root, w.location!.file)))];
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The plugin giving `files` their own `import.meta` (none when no module uses it). */
export function importMetaPlugin(files: ReadonlySet<string>): Plugin[] {
  if (files.size === 0) return [];
  const filter = new RegExp(`^(?:${[...files].map(escapeRegExp).join('|')})$`);
  return [
    {
      name: 'tsapply-import-meta',
      setup(build) {
        build.initialOptions.define = {
          ...build.initialOptions.define,
          ...Object.fromEntries(PROPERTIES.map((p) => [`import.meta.${p}`, identifierOf(p)])),
        };
        build.onLoad({ filter }, async (args) => {
          if (args.namespace !== 'file') return undefined;
          return { contents: withImportMeta(await readFile(args.path, 'utf8'), args.path), loader: LOADERS[extname(args.path)] ?? 'js' };
        });
      },
    },
  ];
}
