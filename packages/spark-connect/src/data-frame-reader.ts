/** `spark.read`: builds a `Read.DataSource` relation (lazy; nothing is read until an action). */
import { InvalidOptionError } from '@tsapply/common';
import type { DataFrame } from './data-frame.js';
import type { SparkSession } from './spark-session.js';

export class DataFrameReader {
  private readonly session: SparkSession;
  private source: string | undefined;
  private ddlSchema: string | undefined;
  private readonly opts: Record<string, string> = {};

  constructor(session: SparkSession) {
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

  option(key: string, value: string | number | boolean): this {
    this.opts[key] = String(value);
    return this;
  }

  options(options: Record<string, string | number | boolean>): this {
    for (const [k, v] of Object.entries(options)) this.option(k, v);
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
