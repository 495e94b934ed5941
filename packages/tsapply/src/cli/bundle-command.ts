/** `tsapply bundle <job.ts>`: bundles a job and reports what went in. */
import type { Command } from 'commander';
import { bundleJob, type JobBundle } from '@tsapply/bundler';
import type { CommandModule } from './command-module.js';
import { reportError } from './report-error.js';

function size(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KiB` : `${(bytes / 1024 / 1024).toFixed(2)} MiB`;
}

export function describeBundle(b: JobBundle, job: string): string {
  const lines = [`Bundled ${job}`, `  size     ${size(b.bytes)} (${b.bytes} bytes)`, `  sha256   ${b.sha256}`];
  lines.push(b.packages.length ? `  packages (${b.packages.length}):` : '  packages: none (only the job\'s own files and Node built-ins)');
  for (const p of b.packages) lines.push(`    ${p.name}@${p.version}`);
  if (b.nativeAddons.length) {
    lines.push(`  native addons (${b.nativeAddons.length}, kept external; the embedded engine loads them from node_modules, Spark executors cannot):`);
    for (const a of b.nativeAddons) lines.push(`    ${a.name}@${a.version} (${a.reason})`);
  } else {
    lines.push('  native addons: none');
  }
  for (const w of b.warnings) lines.push(`  warning: ${w}`);
  return `${lines.join('\n')}\n`;
}

export const bundleCommand: CommandModule = {
  register(program: Command) {
    program
      .command('bundle')
      .description('Bundle a job file and print its npm packages, size, sha256 and native addons.')
      .argument('<job>', 'the job file')
      .option('--json', 'print the report as JSON')
      .option('--verbose', 'show stacks on errors')
      .action(async (job: string, flags: { json?: boolean; verbose?: boolean }) => {
        try {
          const b = await bundleJob(job);
          if (flags.json) {
            const { entry, bytes, sha256, packages, nativeAddons, optionalNativeAddons, warnings } = b;
            process.stdout.write(`${JSON.stringify({ entry, bytes, sha256, packages, nativeAddons, optionalNativeAddons, warnings })}\n`);
          } else {
            process.stdout.write(describeBundle(b, job));
          }
        } catch (e) {
          reportError(e, flags.verbose === true);
          process.exitCode = 1;
        }
      });
  },
};
