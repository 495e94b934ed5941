/**
 * Writes what suites return: `<out>/<suite>.md` (markdown tables + SVG charts beside it,
 * `<suite>-<chart>.svg`) and `<out>/latest.json` (machine, settings and every raw sample
 * of this invocation). Also prints the same tables to stdout.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, freemem, platform, release, totalmem, arch } from 'node:os';
import { join } from 'node:path';
import { formatTable } from '@tsapply/common';
import { renderSvg } from './charts.js';
import type { ReportTable, SuiteResult } from './suite.js';

export interface MachineInfo {
  node: string;
  v8: string;
  platform: string;
  arch: string;
  cpuModel: string;
  cores: number;
  totalMemGB: number;
  freeMemGB: number;
}

export function machineInfo(): MachineInfo {
  const c = cpus();
  return {
    node: process.version,
    v8: process.versions.v8,
    platform: `${platform()} ${release()}`,
    arch: arch(),
    cpuModel: c[0]?.model.trim() ?? 'unknown',
    cores: c.length,
    totalMemGB: Math.round(totalmem() / 2 ** 30),
    freeMemGB: Math.round(freemem() / 2 ** 30),
  };
}

export interface RunSettings {
  mode: 'quick' | 'full';
  startedAt: string;
  profile: unknown;
}

function markdownTable(t: ReportTable): string {
  const esc = (v: unknown): string => String(v).replaceAll('|', '\\|');
  const numeric = t.columns.map((_, i) => t.rows.length > 0 && t.rows.every((r) => /^[-\d.,×–% ]+$/.test(String(r[i]))));
  const lines = [
    `| ${t.columns.map(esc).join(' | ')} |`,
    `| ${numeric.map((n) => (n ? '---:' : '---')).join(' | ')} |`,
    ...t.rows.map((r) => `| ${r.map(esc).join(' | ')} |`),
  ];
  return lines.join('\n');
}

/** Print a suite's tables to stdout, Spark show()-style. */
export function printTables(result: SuiteResult): void {
  process.stdout.write(`\n== ${result.title} ==\n`);
  for (const section of result.sections) {
    for (const t of section.tables) {
      process.stdout.write(`\n${t.title}\n${formatTable(t.columns, t.rows, { truncate: false })}\n`);
    }
  }
}

function machineLine(m: MachineInfo): string {
  return `${m.cpuModel}, ${m.cores} cores, ${m.totalMemGB} GB RAM, ${m.platform} ${m.arch}, Node ${m.node}`;
}

/** Write `<suite>.md` and its charts; returns the markdown path. */
export async function writeSuiteReport(outDir: string, result: SuiteResult, machine: MachineInfo, settings: RunSettings): Promise<string> {
  await mkdir(outDir, { recursive: true });
  const md: string[] = [
    `# ${result.title}`,
    '',
    `Run ${settings.startedAt} in **${settings.mode}** mode on ${machineLine(machine)}. ` +
      'Absolute figures depend on this machine (and on whatever else was running on it); ratios measured in the same run travel better.',
    '',
    result.intro,
  ];
  for (const section of result.sections) {
    md.push('', `## ${section.heading}`);
    if (section.text) md.push('', section.text);
    for (const chart of section.charts) {
      const file = `${result.suite}-${chart.name}.svg`;
      await writeFile(join(outDir, file), await renderSvg(chart.spec));
      md.push('', `![${chart.caption}](${file})`);
    }
    for (const t of section.tables) {
      md.push('', `### ${t.title}`, '', markdownTable(t));
      if (t.note) md.push('', t.note);
    }
  }
  const path = join(outDir, `${result.suite}.md`);
  await writeFile(path, `${md.join('\n')}\n`);
  return path;
}

/** Write `latest.json`: this invocation's machine, settings and raw figures per suite. */
export async function writeLatestJson(outDir: string, machine: MachineInfo, settings: RunSettings, results: SuiteResult[]): Promise<string> {
  await mkdir(outDir, { recursive: true });
  const path = join(outDir, 'latest.json');
  const suites = Object.fromEntries(results.map((r) => [r.suite, r.raw]));
  await writeFile(path, `${JSON.stringify({ machine, settings, suites }, null, 2)}\n`);
  return path;
}
