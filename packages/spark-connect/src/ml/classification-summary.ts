/**
 * Training summaries of classifiers (logistic regression, random forest): the
 * multiclass metrics for every model, plus areaUnderROC and the ROC curve when the
 * label is binary (Spark then gives a `Binary…TrainingSummary`).
 */
import type { DataFrame } from '../data-frame.js';
import type { Relation } from '../gen/spark/connect/relations_pb.js';
import type { SparkSession } from '../spark-session.js';
import { SparkUsageError } from '../errors.js';
import { fetchMany } from './base.js';
import { TrainingSummary } from './summary.js';

const MULTICLASS = ['accuracy', 'weightedPrecision', 'weightedRecall', 'weightedFMeasure', 'weightedTruePositiveRate', 'weightedFalsePositiveRate', 'labels', 'totalIterations', 'objectiveHistory'] as const;
const BINARY = ['areaUnderROC'] as const;

export class ClassificationTrainingSummary extends TrainingSummary {
  /** Loads the metrics of model `refId` (binary ones when `numClasses` is 2). */
  static async load(session: SparkSession, refId: string, dataset: Relation, numClasses: number, iterative: boolean): Promise<ClassificationTrainingSummary> {
    const names = [...MULTICLASS.filter((n) => iterative || (n !== 'totalIterations' && n !== 'objectiveHistory')), ...(numClasses === 2 ? BINARY : [])];
    return new ClassificationTrainingSummary(session, refId, dataset, await fetchMany(session, refId, names, [{ method: 'summary' }]), numClasses === 2);
  }

  /** Whether the label was binary (areaUnderROC and roc available). */
  readonly isBinary: boolean;

  constructor(session: SparkSession, refId: string, dataset: Relation, metrics: Record<string, unknown>, isBinary: boolean) {
    super(session, refId, dataset, metrics);
    this.isBinary = isBinary;
  }

  /** Fraction of training rows predicted correctly. */
  get accuracy(): number {
    return this.num('accuracy');
  }
  get weightedPrecision(): number {
    return this.num('weightedPrecision');
  }
  get weightedRecall(): number {
    return this.num('weightedRecall');
  }
  get weightedFMeasure(): number {
    return this.num('weightedFMeasure');
  }
  get weightedTruePositiveRate(): number {
    return this.num('weightedTruePositiveRate');
  }
  get weightedFalsePositiveRate(): number {
    return this.num('weightedFalsePositiveRate');
  }
  /** The label values, ascending. */
  get labels(): number[] {
    return this.metrics.labels as number[];
  }
  /** Optimizer iterations (logistic regression only). */
  get totalIterations(): number | undefined {
    return this.metrics.totalIterations as number | undefined;
  }
  get objectiveHistory(): number[] | undefined {
    return this.metrics.objectiveHistory as number[] | undefined;
  }
  /** Area under the ROC curve on the training data (binary labels only). */
  get areaUnderROC(): number {
    this.requireBinary('areaUnderROC');
    return this.num('areaUnderROC');
  }
  /** The ROC curve as a DataFrame `FPR double, TPR double` (binary labels only). */
  get roc(): DataFrame {
    this.requireBinary('roc');
    return this.relation('roc');
  }

  private requireBinary(what: string): void {
    if (!this.isBinary) throw new SparkUsageError(`${what} needs a binary label; this model was trained on ${this.labels?.length ?? 'more than 2'} classes. Use accuracy or the weighted metrics.`);
  }
}
