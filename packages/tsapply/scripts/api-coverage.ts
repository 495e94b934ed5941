/**
 * How much of PySpark's DataFrame API tsapply offers, measured rather than claimed:
 * lists the members of PySpark's Spark Connect classes and `pyspark.sql.functions`
 * (pyspark-api.py, run by the managed venv's pinned pyspark) against the public members
 * of tsapply's types as a user's editor sees them — read with the TypeScript compiler
 * from the built declarations of `tsapply` (so instance fields, getters, statics and
 * the methods tsapply adds to DataFrame all count, private members never) — and
 * prints the coverage per class with what is missing.
 *
 *   npm run api-coverage            # the table
 *   npm run api-coverage -- --json  # figures and lists, for tools
 *
 * PySpark's snake_case and camelCase spellings both count (`drop_duplicates` and
 * `dropDuplicates` are found as `dropDuplicates`). Members left out on purpose are in
 * api-omissions.ts with the reason, and are counted apart, never as covered.
 */
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { ensurePythonEnv } from '@tsapply/spark-local';
import { API_OMISSIONS } from './api-omissions.js';

interface PySparkApi {
  pysparkVersion: string;
  classes: Record<string, string[]>;
  functions: string[];
}

export interface Coverage {
  area: string;
  pyspark: number;
  covered: string[];
  omitted: { name: string; reason: string }[];
  missing: string[];
}

/** `drop_duplicates`, `dropDuplicates`, `startswith` and `startsWith` meet at one key. */
export const matchKey = (name: string): string => name.replace(/_/g, '').toLowerCase();

/**
 * tsapply's type for each PySpark class: instance members of `Class`, plus its statics
 * (`typeof Class`); `Window` is an object, `functions` a namespace.
 */
const TS_TYPES: Record<string, string[]> = {
  SparkSession: ['t.SparkSession', 'typeof t.SparkSession'],
  DataFrame: ['t.DataFrame'],
  Column: ['t.Column'],
  GroupedData: ['t.GroupedData'],
  DataFrameNaFunctions: ['t.DataFrame["na"]'],
  DataFrameStatFunctions: ['t.DataFrame["stat"]'],
  Window: ['typeof t.Window'],
  WindowSpec: ['t.WindowSpec'],
  Catalog: ['t.SparkSession["catalog"]'],
  DataFrameReader: ['t.SparkSession["read"]'],
  DataFrameWriter: ['t.DataFrame["write"]'],
  DataFrameWriterV2: ['ReturnType<t.DataFrame["writeTo"]>'],
  functions: ['typeof t.functions'],
};

/**
 * The public members of each area's types. A type that does not exist yet (a member
 * tsapply lacks) resolves to an error type with no members: an empty set, not a crash.
 */
export function tsapplyMembers(root: string): Record<string, Set<string>> {
  const probe = join(root, '__api_coverage_probe__.ts');
  const areas = Object.keys(TS_TYPES);
  const source =
    "import * as t from 'tsapply';\n" + areas.flatMap((a) => TS_TYPES[a]!.map((type, i) => `export type P_${a}_${i} = ${type};`)).join('\n');
  const options: ts.CompilerOptions = {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    strict: true,
    skipLibCheck: true,
    noEmit: true,
    types: ['node'],
  };
  const host = ts.createCompilerHost(options);
  const read = host.readFile.bind(host);
  const exists = host.fileExists.bind(host);
  host.readFile = (f) => (resolve(f) === probe ? source : read(f));
  host.fileExists = (f) => resolve(f) === probe || exists(f);
  const getSource = host.getSourceFile.bind(host);
  host.getSourceFile = (f, v, ...rest) => (resolve(f) === probe ? ts.createSourceFile(f, source, v) : getSource(f, v, ...rest));
  const program = ts.createProgram([probe], options, host);
  const checker = program.getTypeChecker();
  const file = program.getSourceFile(probe)!;
  const out: Record<string, Set<string>> = Object.fromEntries(areas.map((a) => [a, new Set<string>()]));
  for (const statement of file.statements) {
    if (!ts.isTypeAliasDeclaration(statement)) continue;
    const area = /^P_(.+)_\d+$/.exec(statement.name.text)![1]!;
    const type = checker.getTypeAtLocation(statement.name);
    for (const p of checker.getPropertiesOfType(type)) {
      const decl = p.valueDeclaration ?? p.declarations?.[0];
      const hidden = decl !== undefined && (ts.getCombinedModifierFlags(decl) & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) !== 0;
      if (!hidden && p.name !== 'prototype' && !p.name.startsWith('#')) out[area]!.add(p.name);
    }
  }
  return out;
}

export function compare(area: string, pyspark: readonly string[], ours: Set<string>, omissions: Record<string, string>): Coverage {
  const have = new Set([...ours].map(matchKey));
  const out: Coverage = { area, pyspark: pyspark.length, covered: [], omitted: [], missing: [] };
  for (const name of pyspark) {
    if (have.has(matchKey(name))) out.covered.push(name);
    else if (omissions[name] !== undefined) out.omitted.push({ name, reason: omissions[name] });
    else out.missing.push(name);
  }
  return out;
}

function pysparkApi(python: string): PySparkApi {
  const script = fileURLToPath(new URL('./pyspark-api.py', import.meta.url));
  return JSON.parse(execFileSync(python, [script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] })) as PySparkApi;
}

export async function measure(): Promise<{ pysparkVersion: string; areas: Coverage[] }> {
  const api = pysparkApi((await ensurePythonEnv({ onProgress: () => {} })).python);
  const ours = tsapplyMembers(fileURLToPath(new URL('../../..', import.meta.url)));
  const areas = Object.entries(api.classes).map(([name, members]) => compare(name, members, ours[name] ?? new Set(), API_OMISSIONS[name] ?? {}));
  areas.push(compare('functions', api.functions, ours.functions!, API_OMISSIONS.functions ?? {}));
  return { pysparkVersion: api.pysparkVersion, areas };
}

const pct = (n: number, d: number) => (d === 0 ? '—' : `${((100 * n) / d).toFixed(0)}%`);

export function formatTable(pysparkVersion: string, areas: Coverage[]): string {
  const lines = [
    `tsapply against PySpark ${pysparkVersion}'s Spark Connect client (members by name; omitted = left out on purpose, see api-omissions.ts)`,
    '',
    '| area | PySpark | tsapply has | omitted | missing | coverage |',
    '|---|---:|---:|---:|---:|---:|',
  ];
  let total = 0;
  let covered = 0;
  let omitted = 0;
  for (const a of areas) {
    lines.push(`| ${a.area} | ${a.pyspark} | ${a.covered.length} | ${a.omitted.length} | ${a.missing.length} | ${pct(a.covered.length, a.pyspark - a.omitted.length)} |`);
    total += a.pyspark;
    covered += a.covered.length;
    omitted += a.omitted.length;
  }
  lines.push(`| **all** | ${total} | ${covered} | ${omitted} | ${total - covered - omitted} | ${pct(covered, total - omitted)} |`);
  lines.push('', 'Coverage = tsapply has ÷ (PySpark − omitted).');
  for (const a of areas) if (a.missing.length > 0) lines.push('', `Missing from ${a.area}: ${a.missing.join(', ')}`);
  return lines.join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { pysparkVersion, areas } = await measure();
  if (process.argv.includes('--json')) process.stdout.write(`${JSON.stringify({ pysparkVersion, areas }, null, 2)}\n`);
  else process.stdout.write(`${formatTable(pysparkVersion, areas)}\n`);
}
