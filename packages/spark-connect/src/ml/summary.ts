/**
 * Training summaries of fitted models. A summary lives on the server next to its model
 * (Fetch chain `summary().<metric>()`); tsapply loads the scalar metrics when the model is
 * fitted, so they read synchronously, while DataFrame-valued parts (`predictions`, `roc`)
 * stay lazy `MlRelation.Fetch` plans.
 */
import type { DataFrame } from '../data-frame.js';
import type { Relation } from '../gen/spark/connect/relations_pb.js';
import type { SparkSession } from '../spark-session.js';
import { formatFields } from './format.js';
import { attributeRelation, fetchAttribute } from './ml-protocol.js';

export abstract class TrainingSummary {
  /** The fetched metrics by JVM name (what the typed getters read). */
  readonly metrics: Readonly<Record<string, unknown>>;
  protected readonly session: SparkSession;
  protected readonly refId: string;
  private readonly dataset: Relation;

  constructor(session: SparkSession, refId: string, dataset: Relation, metrics: Record<string, unknown>) {
    this.session = session;
    this.refId = refId;
    this.dataset = dataset;
    this.metrics = Object.freeze({ ...metrics });
  }

  /** The training data with the model's predictions (a lazy DataFrame). */
  get predictions(): DataFrame {
    return this.relation('predictions');
  }

  /** Fetches any other summary attribute by its JVM name (e.g. `pValues`, `coefficientStandardErrors`). */
  fetch(name: string): Promise<unknown> {
    return fetchAttribute(this.session, this.refId, [{ method: 'summary' }, { method: name }]);
  }

  /** A DataFrame-valued summary attribute (`predictions`, `roc`, `pr`, …). */
  protected relation(name: string): DataFrame {
    return attributeRelation(this.session, this.refId, [{ method: 'summary' }, { method: name }], this.dataset);
  }

  /** The metrics, one per line. */
  toString(): string {
    return formatFields(`${this.constructor.name}:`, Object.entries(this.metrics));
  }

  protected num(name: string): number {
    return this.metrics[name] as number;
  }
}
