/**
 * `spark.catalog`: databases, tables, functions and caching, as PySpark's `Catalog`.
 * Every method asks the server (Spark Connect's Catalog relation) and is async; lists
 * come back as plain objects with PySpark's field names.
 */
import { InvalidOptionError, readOptions, shownValue } from '@tsapply/common';
import type { MessageInitShape } from '@bufbuild/protobuf';
import type { CatalogSchema } from './gen/spark/connect/catalog_pb.js';
import { StorageLevel } from './storage-level.js';
import { unparsedType } from './data-types.js';
import type { DataFrame } from './data-frame.js';
import type { SparkSession } from './spark-session.js';

export interface CatalogDatabase { name: string; catalog: string | null; description: string | null; locationUri: string }
export interface CatalogTable { name: string; catalog: string | null; namespace: string[] | null; description: string | null; tableType: string; isTemporary: boolean }
export interface CatalogFunction { name: string; catalog: string | null; namespace: string[] | null; description: string | null; className: string; isTemporary: boolean }
export interface CatalogColumn { name: string; description: string | null; dataType: string; nullable: boolean; isPartition: boolean; isBucket: boolean; isCluster: boolean }
export interface CatalogInfo { name: string; description: string | null }

/** Options of `catalog.createTable` (PySpark's keyword arguments `path`, `source`, `schema`, `description`, `**options`). */
export interface CreateTableOptions {
  /** Where the table's files are; with a path the table is external (dropping it leaves the files). @default a managed table in the warehouse */
  path?: string;
  /** Data source, e.g. `'parquet'`, `'csv'`, `'json'`. @default the server's spark.sql.sources.default (parquet) */
  source?: string;
  /** The columns as DDL, e.g. `'id bigint, name string'`. @default inferred from the files at `path` */
  schema?: string;
  /** The table's comment. */
  description?: string;
  /** Data source options, e.g. `{ header: 'true' }` for csv. @default {} */
  options?: Record<string, string>;
}
const CREATE_TABLE_KEYS = ['path', 'source', 'schema', 'description', 'options'] as const;

type Request = NonNullable<MessageInitShape<typeof CatalogSchema>['catType']>;

function name(v: unknown, what: string): string {
  if (typeof v !== 'string' || v === '') throw new InvalidOptionError(`catalog: ${what} must be a non-empty name, got ${shownValue(v)}.`, { option: what });
  return v;
}
const opt = (k: string, v: string | undefined) => (v === undefined ? {} : { [k]: v });

export class Catalog {
  constructor(private readonly session: SparkSession) {}

  private async rows(catType: Request): Promise<Record<string, unknown>[]> {
    return this.session.dataFrame({ relType: { case: 'catalog', value: { catType } } }).collect();
  }
  private async value(catType: Request): Promise<unknown> {
    const [row] = await this.rows(catType);
    return row === undefined ? undefined : Object.values(row)[0];
  }

  async currentCatalog(): Promise<string> {
    return String(await this.value({ case: 'currentCatalog', value: {} }));
  }
  async setCurrentCatalog(catalogName: string): Promise<void> {
    await this.rows({ case: 'setCurrentCatalog', value: { catalogName: name(catalogName, 'catalogName') } });
  }
  async listCatalogs(pattern?: string): Promise<CatalogInfo[]> {
    return (await this.rows({ case: 'listCatalogs', value: opt('pattern', pattern) })) as unknown as CatalogInfo[];
  }
  async currentDatabase(): Promise<string> {
    return String(await this.value({ case: 'currentDatabase', value: {} }));
  }
  async setCurrentDatabase(dbName: string): Promise<void> {
    await this.rows({ case: 'setCurrentDatabase', value: { dbName: name(dbName, 'dbName') } });
  }
  async listDatabases(pattern?: string): Promise<CatalogDatabase[]> {
    return (await this.rows({ case: 'listDatabases', value: opt('pattern', pattern) })) as unknown as CatalogDatabase[];
  }
  async getDatabase(dbName: string): Promise<CatalogDatabase> {
    return (await this.rows({ case: 'getDatabase', value: { dbName: name(dbName, 'dbName') } }))[0] as unknown as CatalogDatabase;
  }
  async databaseExists(dbName: string): Promise<boolean> {
    return (await this.value({ case: 'databaseExists', value: { dbName: name(dbName, 'dbName') } })) === true;
  }
  /** Tables and views of `dbName` (default: the current database), temporary views included. */
  async listTables(dbName?: string, pattern?: string): Promise<CatalogTable[]> {
    return (await this.rows({ case: 'listTables', value: { ...opt('dbName', dbName), ...opt('pattern', pattern) } })) as unknown as CatalogTable[];
  }
  async getTable(tableName: string, dbName?: string): Promise<CatalogTable> {
    return (await this.rows({ case: 'getTable', value: { tableName: name(tableName, 'tableName'), ...opt('dbName', dbName) } }))[0] as unknown as CatalogTable;
  }
  async tableExists(tableName: string, dbName?: string): Promise<boolean> {
    return (await this.value({ case: 'tableExists', value: { tableName: name(tableName, 'tableName'), ...opt('dbName', dbName) } })) === true;
  }
  async listColumns(tableName: string, dbName?: string): Promise<CatalogColumn[]> {
    return (await this.rows({ case: 'listColumns', value: { tableName: name(tableName, 'tableName'), ...opt('dbName', dbName) } })) as unknown as CatalogColumn[];
  }
  async listFunctions(dbName?: string, pattern?: string): Promise<CatalogFunction[]> {
    return (await this.rows({ case: 'listFunctions', value: { ...opt('dbName', dbName), ...opt('pattern', pattern) } })) as unknown as CatalogFunction[];
  }
  async getFunction(functionName: string, dbName?: string): Promise<CatalogFunction> {
    return (await this.rows({ case: 'getFunction', value: { functionName: name(functionName, 'functionName'), ...opt('dbName', dbName) } }))[0] as unknown as CatalogFunction;
  }
  async functionExists(functionName: string, dbName?: string): Promise<boolean> {
    return (await this.value({ case: 'functionExists', value: { functionName: name(functionName, 'functionName'), ...opt('dbName', dbName) } })) === true;
  }
  /** Drops a temporary view; resolves false when there was none. */
  async dropTempView(viewName: string): Promise<boolean> {
    return (await this.value({ case: 'dropTempView', value: { viewName: name(viewName, 'viewName') } })) === true;
  }
  async dropGlobalTempView(viewName: string): Promise<boolean> {
    return (await this.value({ case: 'dropGlobalTempView', value: { viewName: name(viewName, 'viewName') } })) === true;
  }
  async isCached(tableName: string): Promise<boolean> {
    return (await this.value({ case: 'isCached', value: { tableName: name(tableName, 'tableName') } })) === true;
  }
  /** Caches a table or view (at `storageLevel`, default MEMORY_AND_DISK). */
  async cacheTable(tableName: string, storageLevel: StorageLevel = StorageLevel.MEMORY_AND_DISK): Promise<void> {
    await this.rows({ case: 'cacheTable', value: { tableName: name(tableName, 'tableName'), storageLevel } });
  }
  async uncacheTable(tableName: string): Promise<void> {
    await this.rows({ case: 'uncacheTable', value: { tableName: name(tableName, 'tableName') } });
  }
  async clearCache(): Promise<void> {
    await this.rows({ case: 'clearCache', value: {} });
  }
  /**
   * Creates a table from a data source (`source`, default parquet) with the given DDL
   * `schema`, or at `path` with the schema inferred from its files, and returns the table
   * as a DataFrame. Rejects when the table exists.
   */
  async createTable(tableName: string, options?: CreateTableOptions): Promise<DataFrame> {
    const o = readOptions('catalog.createTable()', options, CREATE_TABLE_KEYS);
    const schema = o.string('schema', 'a DDL string such as "id bigint, name string"');
    const dsOptions = o.object('options', 'an object of string values such as { header: "true" }') ?? {};
    for (const [k, v] of Object.entries(dsOptions)) {
      if (typeof v !== 'string') o.reject('options', `catalog.createTable(): options.options.${k} must be a string (data source options are strings, e.g. "true"), got ${shownValue(v)}.`);
    }
    await this.rows({
      case: 'createTable',
      value: {
        tableName: name(tableName, 'tableName'),
        ...opt('path', o.string('path')),
        ...opt('source', o.string('source')),
        ...opt('description', o.string('description', 'a string', true)),
        ...(schema === undefined ? {} : { schema: unparsedType(schema) }),
        options: dsOptions as Record<string, string>,
      },
    });
    return this.session.table(tableName);
  }
  /** Deprecated since Spark 4.0 in PySpark: the same as `createTable(tableName, { path, source, schema, options })`. */
  async createExternalTable(tableName: string, options?: Omit<CreateTableOptions, 'description'>): Promise<DataFrame> {
    readOptions('catalog.createExternalTable()', options, ['path', 'source', 'schema', 'options']);
    return this.createTable(tableName, options);
  }
  async refreshTable(tableName: string): Promise<void> {
    await this.rows({ case: 'refreshTable', value: { tableName: name(tableName, 'tableName') } });
  }
  async refreshByPath(path: string): Promise<void> {
    await this.rows({ case: 'refreshByPath', value: { path: name(path, 'path') } });
  }
  async recoverPartitions(tableName: string): Promise<void> {
    await this.rows({ case: 'recoverPartitions', value: { tableName: name(tableName, 'tableName') } });
  }
}
