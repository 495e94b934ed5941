/** `tsapply bundle <job.ts>`: bundles a job and reports what went in. */
import type { Command } from 'commander';
import { bundleJob, formatBundleReport } from '@tsapply/bundler';
import type { CommandModule } from './command-module.js';
import { reportError } from './report-error.js';

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
            process.stdout.write(`${formatBundleReport(b)}\n`);
          }
        } catch (e) {
          reportError(e, flags.verbose === true);
          process.exitCode = 1;
        }
      });
  },
};
