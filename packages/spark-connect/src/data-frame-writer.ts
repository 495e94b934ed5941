/** `df.write`: saves a DataFrame through a Spark data source (a `WriteOperation` command). */
import { InvalidOptionError } from '@tsapply/common';
import { WriteOperation_SaveMode as SaveMode, WriteOperation_SaveTable_TableSaveMethod as TableSaveMethod } from './gen/spark/connect/commands_pb.js';
import type { DataFrame } from './data-frame.js';
import { OptionsBuilder } from './options-builder.js';

/** Save modes (PySpark's spellings). */
export type SaveModeName = 'append' | 'overwrite' | 'error' | 'errorifexists' | 'ignore';

const MODES: Record<SaveModeName, SaveMode> = {
  append: SaveMode.APPEND,
  overwrite: SaveMode.OVERWRITE,
  error: SaveMode.ERROR_IF_EXISTS,
  errorifexists: SaveMode.ERROR_IF_EXISTS,
  ignore: SaveMode.IGNORE,
};

/** Builder: each setter returns `this` (as PySpark's writer does); `save*` runs the write. */
export class DataFrameWriter extends OptionsBuilder {
  private readonly df: DataFrame;
  private source: string | undefined;
  private saveMode: SaveMode = SaveMode.ERROR_IF_EXISTS;
  private partitioning: string[] = [];
  private sorting: string[] = [];
  private clustering: string[] = [];
  private bucketing: { bucketColumnNames: string[]; numBuckets: number } | undefined;

  constructor(df: DataFrame) {
    super();
    this.df = df;
  }

  format(source: string): this {
    this.source = source;
    return this;
  }

  /** `append`, `overwrite`, `error`/`errorifexists` (default) or `ignore`. */
  mode(mode: SaveModeName): this {
    const m = MODES[mode.toLowerCase() as SaveModeName];
    if (m === undefined) throw new InvalidOptionError(`Unknown save mode "${mode}". Valid values: ${Object.keys(MODES).join(', ')}.`, { option: 'mode' });
    this.saveMode = m;
    return this;
  }



  partitionBy(...cols: string[]): this {
    this.partitioning = cols.flat();
    return this;
  }

  /** Buckets a table's rows by the hash of these columns (`saveAsTable` only). */
  bucketBy(numBuckets: number, col: string | string[], ...cols: string[]): this {
    if (!Number.isInteger(numBuckets) || numBuckets < 1) throw new InvalidOptionError(`bucketBy(numBuckets, …) needs a positive integer, got ${numBuckets}.`, { option: 'numBuckets' });
    this.bucketing = { bucketColumnNames: [col, ...cols].flat(), numBuckets };
    return this;
  }

  /** Sorts the rows of each bucket by these columns (with `bucketBy`). */
  sortBy(col: string | string[], ...cols: string[]): this {
    this.sorting = [col, ...cols].flat();
    return this;
  }

  /** Clusters a table by these columns (Spark 4, data sources that support it). */
  clusterBy(...cols: (string | string[])[]): this {
    this.clustering = cols.flat();
    return this;
  }

  async save(path?: string): Promise<void> {
    await this.run(path === undefined ? undefined : { case: 'path', value: path });
  }

  async parquet(path: string): Promise<void> {
    await this.format('parquet').save(path);
  }
  async csv(path: string, options: Record<string, string | number | boolean> = {}): Promise<void> {
    await this.format('csv').options(options).save(path);
  }
  async json(path: string): Promise<void> {
    await this.format('json').save(path);
  }
  async text(path: string): Promise<void> {
    await this.format('text').save(path);
  }
  async orc(path: string, options: Record<string, string | number | boolean> = {}): Promise<void> {
    await this.format('orc').options(options).save(path);
  }
  /** XML files (Spark 4's built-in source); `rowTag` names each row's element. */
  async xml(path: string, options: Record<string, string | number | boolean> = {}): Promise<void> {
    await this.format('xml').options(options).save(path);
  }
  /** Writes into the table `table` of a database through JDBC (its driver jar must be on the server). */
  async jdbc(url: string, table: string, mode?: SaveModeName, properties: Record<string, string> = {}): Promise<void> {
    if (mode !== undefined) this.mode(mode);
    await this.format('jdbc').options({ ...properties, url, dbtable: table }).save();
  }

  async saveAsTable(name: string): Promise<void> {
    await this.run({ case: 'table', value: { tableName: name, saveMethod: TableSaveMethod.SAVE_AS_TABLE } });
  }

  async insertInto(name: string): Promise<void> {
    await this.run({ case: 'table', value: { tableName: name, saveMethod: TableSaveMethod.INSERT_INTO } });
  }

  private async run(saveType: { case: 'path'; value: string } | { case: 'table'; value: { tableName: string; saveMethod: TableSaveMethod } } | undefined): Promise<void> {
    await this.df.session.executeCommand({
      commandType: {
        case: 'writeOperation',
        value: {
          input: this.df.relation,
          ...(this.source !== undefined ? { source: this.source } : {}),
          ...(saveType ? { saveType } : {}),
          mode: this.saveMode,
          partitioningColumns: this.partitioning,
          sortColumnNames: this.sorting,
          clusteringColumns: this.clustering,
          ...(this.bucketing ? { bucketBy: this.bucketing } : {}),
          options: this.opts,
        },
      },
    });
  }
}
