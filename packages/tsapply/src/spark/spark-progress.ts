/**
 * The `tsapply run --remote` progress bar: tasks done / total over the stages Spark
 * reports in ExecutionProgress (every 2 s). cli-progress on stderr, only on a TTY and
 * never with --quiet/--json, so piped and machine-readable output stay clean.
 */
import cliProgress from 'cli-progress';
import type { ProgressEvent } from '@tsapply/spark-connect';

/** Progress of a Spark run, summed over the stages of the current query. */
export interface SparkRunProgress {
  tasksDone: number;
  tasksTotal: number;
  stagesDone: number;
  stagesTotal: number;
  inflightTasks: number;
}

export function summarizeProgress(p: ProgressEvent): SparkRunProgress {
  let tasksDone = 0;
  let tasksTotal = 0;
  let stagesDone = 0;
  for (const s of p.stages) {
    tasksDone += s.numCompletedTasks;
    tasksTotal += s.numTasks;
    if (s.done) stagesDone++;
  }
  return { tasksDone, tasksTotal, stagesDone, stagesTotal: p.stages.length, inflightTasks: p.numInflightTasks };
}

export interface SparkProgressBar {
  update(p: SparkRunProgress): void;
  stop(): void;
}

const NONE: SparkProgressBar = { update() {}, stop() {} };

export function createSparkProgressBar(enabled: boolean, stream: NodeJS.WriteStream = process.stderr): SparkProgressBar {
  if (!enabled || !stream.isTTY) return NONE;
  let bar: cliProgress.SingleBar | undefined;
  return {
    update(p) {
      if (!bar) {
        bar = new cliProgress.SingleBar(
          {
            stream,
            format: ' {bar} {value}/{total} tasks | stage {stagesDone}/{stagesTotal} | {inflightTasks} running',
            hideCursor: true,
            clearOnComplete: true,
          },
          cliProgress.Presets.shades_classic,
        );
        bar.start(p.tasksTotal, 0, { stagesDone: 0, stagesTotal: 0, inflightTasks: 0 });
      }
      bar.setTotal(p.tasksTotal);
      bar.update(p.tasksDone, { stagesDone: p.stagesDone, stagesTotal: p.stagesTotal, inflightTasks: p.inflightTasks });
    },
    stop() {
      bar?.stop();
    },
  };
}
