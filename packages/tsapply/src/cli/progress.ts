/**
 * The progress bar of `tsapply run` (cli-progress) on stderr: rows and batches done.
 * Shown only on a terminal and never with --quiet or --json, so piped output and
 * machine-readable output stay clean.
 */
import cliProgress from 'cli-progress';
import type { RunProgress } from '../run-options.js';

export interface ProgressReporter {
  update(p: RunProgress): void;
  stop(): void;
}

const NONE: ProgressReporter = { update() {}, stop() {} };

export function createProgress(enabled: boolean): ProgressReporter {
  if (!enabled || !process.stderr.isTTY) return NONE;
  let bar: cliProgress.SingleBar | undefined;
  return {
    update(p) {
      if (!bar) {
        const known = p.totalRows !== undefined;
        bar = new cliProgress.SingleBar(
          {
            stream: process.stderr,
            format: known
              ? ' {bar} {percentage}% | {value}/{total} rows | {batches} batches | {rowsOut} rows out'
              : ' {value} rows | {batches} batches | {rowsOut} rows out',
            hideCursor: true,
            clearOnComplete: true,
          },
          cliProgress.Presets.shades_classic,
        );
        bar.start(p.totalRows ?? 0, 0, { batches: 0, rowsOut: 0 });
      }
      bar.update(p.rowsIn, { batches: p.batches, rowsOut: p.rowsOut });
    },
    stop() {
      bar?.stop();
    },
  };
}
