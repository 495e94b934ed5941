/**
 * The base of the ML classes generated from Spark's own definitions (./generated): an
 * estimator whose fitted model is known by its JVM attributes rather than by hand-written
 * fields. `await model.get('clusterCenters')` reads any attribute Spark's allow-list
 * offers for that model, as PySpark's model properties and methods do over Connect.
 */
import type { SparkSession } from '../spark-session.js';
import { Estimator, Model } from './base.js';
import type { ParamSpecs } from './params.js';

/** A fitted model of a generated estimator (`KMeansModel`, `StringIndexerModel`, …). */
export class SparkModel extends Model {
  /** The Spark class of the model, e.g. `KMeansModel`. */
  readonly modelName: string;

  /** @internal built by `fit`. */
  constructor(session: SparkSession, refId: string, uid: string, specs: ParamSpecs, modelName: string) {
    super(session, refId, uid, specs);
    this.modelName = modelName;
  }

  /** An attribute of the fitted model by its Spark name (`'clusterCenters'`, `'labels'`, `'pc'`), or a method's result with `args`. */
  get(attribute: string, ...args: unknown[]): Promise<unknown> {
    return this.call(attribute, ...args);
  }

  override toString(): string {
    return `${this.modelName}: uid=${this.uid}`;
  }
}

/** An estimator generated from Spark's definition; `fit` resolves to a `SparkModel`. */
export abstract class SparkEstimator extends Estimator<SparkModel> {
  protected async createModel(session: SparkSession, refId: string, uid: string): Promise<SparkModel> {
    // No param specs: the server-side model already holds every param the fit used (Spark
    // copies them), and some estimators make a model of another class whose params differ
    // (QuantileDiscretizer → Bucketizer), so nothing is sent back with transform.
    return new SparkModel(session, refId, uid, {}, `${this.constructor.name}Model`);
  }
}
