/**
 * The four realistic workloads of the UDF suite, as data every variant shares: the kind
 * of per-row logic data scientists write UDFs for, where the language runtime (V8,
 * CPython) does the work rather than a vectorised kernel.
 *
 * - fuzzy: edit distance from a misspelt movie title to the nearest of 20 reference titles;
 * - logs: an Apache access-log line parsed with a regular expression, its timestamp to epoch seconds;
 * - json: a nested JSON order document parsed and walked (items, totals, tags);
 * - simulation: 200 steps of the logistic map per row, counting the steps above 0.5.
 *
 * Inputs are built on the server by Spark SQL from `spark.range` (no variant ships data
 * up, and all read the same rows); titles are real (vega-datasets' movies, printable
 * ASCII, lower-cased). Each workload names its Spark SQL built-in (the same logic as
 * native expressions, in stages) and the aggregate every variant's output must match
 * before any timing. Floating-point work is the same IEEE operations in the same order
 * in every language, so even the chaotic simulation agrees row by row.
 */
import { movieTitles } from '../spark/workloads.js';

export type UdfWorkloadName = 'fuzzy' | 'logs' | 'json' | 'simulation';
export const UDF_WORKLOAD_NAMES: readonly UdfWorkloadName[] = ['fuzzy', 'logs', 'json', 'simulation'];

export interface UdfWorkload {
  name: UdfWorkloadName;
  label: string;
  /** `selectExpr` over `spark.range(rows)` that builds the input. */
  inputExprs: string[];
  /** Input columns the Python UDFs take (after `id`). */
  udfInputs: string[];
  /** Spark's built-in for the same logic: `selectExpr` stages over the input. */
  builtinStages: string[][];
  /** Output schema (Spark DDL) of every variant. */
  schema: string;
  /** `selectExpr` over a variant's output: one row of checksums. */
  checksumExprs: string[];
  /** Checksums compared with a relative tolerance (doubles summed in a different order). */
  approximate: string[];
  /** Rows per timed run at scale 1, for variants that run compiled or V8 code, and for Python row-at-a-time code. */
  rows: { fast: number; python: number };
}

/** A Spark SQL string literal (backslash escapes are on by default). */
function sqlString(s: string): string {
  return `'${s.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
}

const sqlArray = (values: readonly string[]) => `array(${values.map(sqlString).join(', ')})`;

/** Titles the misspelt names are drawn from, and the 20 reference titles they are matched to. */
export function fuzzyTitles(all: readonly string[] = movieTitles()): { names: string[]; references: string[] } {
  const lower = [...new Set(all.map((t) => t.toLowerCase()))];
  const names = lower.slice(0, 2000);
  const references = Array.from({ length: 20 }, (_, i) => names[(i * 97 + 13) % names.length]!);
  return { names, references };
}

/** The access-log regular expression (the same pattern in JavaScript, Python and Java). */
export const LOG_PATTERN = '^(\\S+) \\S+ \\S+ \\[([^\\]]+)\\] "(\\S+) (\\S+) [^"]*" (\\d{3}) (\\d+)$';
export const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
export const SIMULATION_STEPS = 200;

export function udfWorkloads(titles: readonly string[] = movieTitles()): Record<UdfWorkloadName, UdfWorkload> {
  const { names, references } = fuzzyTitles(titles);
  const title = `element_at(${sqlArray(names)}, CAST(id % ${names.length} AS INT) + 1)`;
  // The misspelling: the character after position (id % 7) dropped.
  const cut = 'CAST(id % 7 AS INT)';
  const logLine =
    `format_string('%d.%d.%d.%d - - [%02d/%s/2026:%02d:%02d:%02d +0000] "%s /api/v1/items/%d?q=%d HTTP/1.1" %d %d', ` +
    `10, id % 256, (id div 256) % 256, id % 7, (id % 28) + 1, element_at(${sqlArray(MONTHS)}, CAST(id % 12 AS INT) + 1), ` +
    `id % 24, id % 60, (id * 7) % 60, element_at(array('GET', 'POST', 'PUT', 'DELETE'), CAST(id % 4 AS INT) + 1), ` +
    `id, id % 13, element_at(array(200, 404, 500, 302, 301), CAST(id % 5 AS INT) + 1), 100 + (id * 37) % 50000) AS line`;
  const doc =
    "to_json(named_struct('user', named_struct('id', id, 'name', concat('user-', id), " +
    "'tags', IF(id % 5 = 0, array('new', 'vip'), array('new'))), " +
    "'items', transform(sequence(1, CAST(id % 5 AS INT) + 1), i -> named_struct('sku', concat('sku-', i), " +
    "'qty', CAST(i + id % 3 AS INT), 'price_cents', CAST((id * i) % 10000 AS INT))), " +
    "'meta', named_struct('source', 'web', 'version', 2))) AS doc";
  const group = (n: number) => `regexp_extract(line, ${sqlString(LOG_PATTERN)}, ${n})`;
  const step = 'r * acc.x * (1D - acc.x)';
  return {
    fuzzy: {
      name: 'fuzzy',
      label: 'fuzzy matching (edit distance to 20 titles)',
      inputExprs: ['id', `lower(concat(substr(${title}, 1, ${cut}), substr(${title}, ${cut} + 2))) AS name`],
      udfInputs: ['name'],
      builtinStages: [['id', `array_min(transform(${sqlArray(references)}, r -> levenshtein(name, r))) AS dist`]],
      schema: 'id bigint, dist int',
      checksumExprs: ['count(1) AS n', 'sum(id) AS sum_id', 'sum(dist) AS sum_dist', 'sum(dist * (id % 11)) AS mix'],
      approximate: [],
      rows: { fast: 200_000, python: 20_000 },
    },
    logs: {
      name: 'logs',
      label: 'log parsing (regex + timestamp)',
      inputExprs: ['id', logLine],
      udfInputs: ['line'],
      builtinStages: [
        [
          'id',
          `${group(1)} AS ip`,
          `unix_timestamp(${group(2)}, 'dd/MMM/yyyy:HH:mm:ss Z') AS epoch`,
          `${group(3)} AS method`,
          `${group(4)} AS path`,
          `CAST(${group(5)} AS INT) AS status`,
          `CAST(${group(6)} AS BIGINT) AS bytes`,
        ],
      ],
      schema: 'id bigint, ip string, epoch bigint, method string, path string, status int, bytes bigint',
      checksumExprs: [
        'count(1) AS n',
        'sum(id) AS sum_id',
        'sum(length(ip)) AS len_ip',
        'sum(epoch) AS sum_epoch',
        'sum(length(method)) AS len_method',
        'sum(length(path)) AS len_path',
        'sum(status) AS sum_status',
        'sum(bytes) AS sum_bytes',
      ],
      approximate: [],
      rows: { fast: 1_000_000, python: 1_000_000 },
    },
    json: {
      name: 'json',
      label: 'JSON parsing (nested order documents)',
      inputExprs: ['id', doc],
      udfInputs: ['doc'],
      builtinStages: [
        ['id', "from_json(doc, 'user struct<tags: array<string>>, items array<struct<qty: int, price_cents: int>>') AS d"],
        [
          'id',
          'size(d.items) AS n_items',
          'aggregate(d.items, 0L, (acc, it) -> acc + CAST(it.qty AS BIGINT) * it.price_cents) AS total_cents',
          "array_contains(d.user.tags, 'vip') AS vip",
        ],
      ],
      schema: 'id bigint, n_items int, total_cents bigint, vip boolean',
      checksumExprs: ['count(1) AS n', 'sum(id) AS sum_id', 'sum(n_items) AS sum_items', 'sum(total_cents) AS sum_total', 'sum(CAST(vip AS INT)) AS n_vip'],
      approximate: [],
      rows: { fast: 1_000_000, python: 1_000_000 },
    },
    simulation: {
      name: 'simulation',
      label: `numeric simulation (${SIMULATION_STEPS} logistic-map steps)`,
      inputExprs: ['id', '(CAST(id % 1000 AS DOUBLE) + 0.5D) / 1000D AS x0', '3.5D + CAST(id % 97 AS DOUBLE) / 200D AS r'],
      udfInputs: ['x0', 'r'],
      builtinStages: [
        ['id', `aggregate(sequence(1, ${SIMULATION_STEPS}), named_struct('x', x0, 'a', 0), (acc, i) -> named_struct('x', ${step}, 'a', acc.a + IF(${step} > 0.5D, 1, 0))) AS s`],
        ['id', 's.x AS x', 's.a AS above'],
      ],
      schema: 'id bigint, x double, above int',
      checksumExprs: ['count(1) AS n', 'sum(id) AS sum_id', 'sum(x) AS sum_x', 'sum(above) AS sum_above'],
      approximate: ['sum_x'],
      rows: { fast: 1_000_000, python: 1_000_000 },
    },
  };
}
