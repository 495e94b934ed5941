/**
 * The human-readable summary `tsapply bundle job.ts` prints: hash, sizes, every npm
 * package with its version and contributed size, native addons and warnings.
 */
import { resolve } from 'node:path';
import type { JobBundle } from './bundle-job.js';
import { displayPath } from './esbuild-messages.js';

/** `1234` → `1.2 kB`; decimal units (kB = 1000 B), like npm and esbuild print sizes. */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  if (bytes < 1_000_000) return `${(bytes / 1000).toFixed(1)} kB`;
  return `${(bytes / 1_000_000).toFixed(2)} MB`;
}

export interface BundleReportOptions {
  /** Folder the entry path is shown relative to. @default process.cwd() */
  cwd?: string;
}

/** Multi-line report of a bundle (no trailing newline). */
export function formatBundleReport(bundle: JobBundle, options: BundleReportOptions = {}): string {
  const cwd = options.cwd ?? process.cwd();
  const lines = [
    `Bundle of ${displayPath(resolve(bundle.entry), cwd)}${bundle.kind === 'function' ? ` (export ${bundle.exportName})` : ''}`,
    `  sha256   ${bundle.sha256}`,
    `  size     ${formatBytes(bundle.bytes)} code + ${formatBytes(Buffer.byteLength(bundle.sourceMap))} source map, built in ${bundle.buildMs} ms`,
  ];
  if (bundle.packages.length === 0) {
    lines.push('  packages none (only the job\'s own code and Node built-ins)');
  } else {
    lines.push(`  packages (${bundle.packages.length}):`);
    const nameWidth = Math.max(...bundle.packages.map((p) => p.name.length));
    const versionWidth = Math.max(...bundle.packages.map((p) => p.version.length));
    for (const p of bundle.packages) {
      lines.push(`    ${p.name.padEnd(nameWidth)}  ${p.version.padEnd(versionWidth)}  ${formatBytes(p.bytes).padStart(8)}`);
    }
  }
  for (const a of bundle.nativeAddons) {
    lines.push(`  native addon (kept external, must be installed where the job runs): ${a.name}@${a.version}: ${a.reason}`);
  }
  for (const a of bundle.optionalNativeAddons) {
    lines.push(`  optional native addon (kept external, used when present): ${a.name}@${a.version}`);
  }
  for (const w of bundle.warnings) lines.push(`  ${w}`);
  return lines.join('\n');
}
