/** `spark.read`: builds a `Read.DataSource` relation (lazy; nothing is read until an action). */
import { InvalidOptionError } from '@tsapply/common';
import type { DataFrame } from './data-frame.js';
import type { SparkSession } from './spark-session.js';
import { OptionsBuilder } from './options-builder.js';

export class DataFrameReader extends OptionsBuilder {
  private readonly session: SparkSession;
  private source: string | undefined;
  private ddlSchema: string | undefined;

  constructor(session: SparkSession) {
    super();
    this.session = session;
  }

  format(source: string): this {
    this.source = source;
    return this;
  }

  /** Declares the schema as Spark DDL (`'a int, b string'`) instead of inferring it. */
  schema(ddl: string): this {
    if (typeof ddl !== 'string' || ddl.trim() === '') throw new InvalidOptionError('read.schema() needs a non-empty DDL string such as "a int, b string".', { option: 'schema' });
    this.ddlSchema = ddl;
    return this;
  }



  /** Loads `paths` (none for sources that take only options, e.g. `jdbc`). */
  load(...paths: string[]): DataFrame {
    return this.session.dataFrame({
      relType: {
        case: 'read',
        value: {
          readType: {
            case: 'dataSource',
            value: {
              ...(this.source !== undefined ? { format: this.source } : {}),
              ...(this.ddlSchema !== undefined ? { schema: this.ddlSchema } : {}),
              options: { ...this.opts },
              paths: paths.flat(),
              predicates: [],
            },
          },
          isStreaming: false,
        },
      },
    });
  }

  parquet(...paths: string[]): DataFrame {
    return this.format('parquet').load(...paths);
  }
  /** CSV; pass `{ header: true, inferSchema: true }` as PySpark does. */
  csv(path: string | string[], options: Record<string, string | number | boolean> = {}): DataFrame {
    return this.format('csv').options(options).load(...[path].flat());
  }
  json(path: string | string[], options: Record<string, string | number | boolean> = {}): DataFrame {
    return this.format('json').options(options).load(...[path].flat());
  }
  text(path: string | string[]): DataFrame {
    return this.format('text').load(...[path].flat());
  }
  orc(path: string | string[], options: Record<string, string | number | boolean> = {}): DataFrame {
    return this.format('orc').options(options).load(...[path].flat());
  }
  /** XML files (Spark 4's built-in source); `rowTag` names each row's element, e.g. `{ rowTag: 'book' }`. */
  xml(path: string | string[], options: Record<string, string | number | boolean> = {}): DataFrame {
    return this.format('xml').options(options).load(...[path].flat());
  }
  /**
   * A database table through JDBC (its driver jar must be on the server). Reading in
   * parallel takes `column`, `lowerBound`, `upperBound` and `numPartitions` together, as in PySpark.
   */
  jdbc(url: string, table: string, options: { column?: string; lowerBound?: number | bigint; upperBound?: number | bigint; numPartitions?: number; properties?: Record<string, string> } = {}): DataFrame {
    const { column, lowerBound, upperBound, numPartitions, properties = {} } = options;
    const bounds = [column, lowerBound, upperBound, numPartitions];
    if (bounds.some((v) => v !== undefined) && bounds.some((v) => v === undefined)) {
      throw new InvalidOptionError('jdbc(): column, lowerBound, upperBound and numPartitions go together (a parallel read needs all four), or none of them.', { option: 'column' });
    }
    const parallel: Record<string, string> = column === undefined ? {} : { partitionColumn: column, lowerBound: String(lowerBound), upperBound: String(upperBound), numPartitions: String(numPartitions) };
    return this.format('jdbc').options({ ...properties, ...parallel, url, dbtable: table }).load();
  }
  /** Images as rows of `image` structs (origin, height, width, nChannels, mode, data). */
  image(path: string | string[], options: Record<string, string | number | boolean> = {}): DataFrame {
    return this.format('image').options(options).load(...[path].flat());
  }
  /** Whole files as rows of (path, modificationTime, length, content); e.g. `{ pathGlobFilter: '*.png' }`. */
  binaryFile(path: string | string[], options: Record<string, string | number | boolean> = {}): DataFrame {
    return this.format('binaryFile').options(options).load(...[path].flat());
  }

  table(name: string): DataFrame {
    return this.session.dataFrame({
      relType: { case: 'read', value: { readType: { case: 'namedTable', value: { unparsedIdentifier: name, options: { ...this.opts } } }, isStreaming: false } },
    });
  }
}
