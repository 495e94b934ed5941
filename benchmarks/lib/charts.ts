/**
 * Charts for the reports, drawn by Vega-Lite and rendered to SVG in Node by Vega's
 * headless `View.toSVG()` (no canvas or native dependency; text widths are estimated).
 *
 * Benchmarks describe charts as data + intent (`groupedBarChart`) and get back a
 * Vega-Lite spec, so every report looks the same: one bar group per payload, one colour
 * per candidate in a fixed order, values on a log scale when they span orders of
 * magnitude, and the value printed on each bar.
 */
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

export type ChartSpec = TopLevelSpec;

export interface GroupedBarOptions {
  title: string;
  /** Field holding the group (x axis), e.g. `payload`. */
  group: string;
  /** Field holding the bar within a group (colour), e.g. `serializer`. */
  series: string;
  /** Field holding the number, e.g. `encodeMBps`. */
  value: string;
  /** Axis title for the value, with its unit, e.g. `encode MB/s (higher is better)`. */
  valueTitle: string;
  /** Order of groups and of series (others follow in data order). */
  groupOrder?: readonly string[];
  seriesOrder?: readonly string[];
  /** Force a log (true) or linear (false) value axis. @default log when max/min > 30 */
  log?: boolean;
  /** d3-format for the labels on bars. @default '.3~s' */
  labelFormat?: string;
}

/** True when positive values span more than `factor`× (then a log axis reads better). */
export function spansOrdersOfMagnitude(values: readonly number[], factor = 30): boolean {
  const pos = values.filter((v) => v > 0 && Number.isFinite(v));
  return pos.length > 1 && Math.max(...pos) / Math.min(...pos) > factor;
}

/** Grouped vertical bars: one group per `group`, one bar per `series`, labelled values. */
export function groupedBarChart(rows: readonly Record<string, unknown>[], o: GroupedBarOptions): ChartSpec {
  const values = rows.map((r) => Number(r[o.value]));
  const log = o.log ?? spansOrdersOfMagnitude(values);
  const seriesCount = new Set(rows.map((r) => r[o.series])).size;
  const groupCount = new Set(rows.map((r) => r[o.group])).size;
  const width = Math.max(360, groupCount * (seriesCount * 20 + 30));
  // A group's label may use its group's whole width.
  const x = { field: o.group, type: 'nominal' as const, sort: o.groupOrder ? [...o.groupOrder] : null, title: null,
    axis: { labelAngle: 0, labelFontSize: 12, labelLimit: Math.floor(width / groupCount) } };
  const xOffset = { field: o.series, type: 'nominal' as const, sort: o.seriesOrder ? [...o.seriesOrder] : null };
  const y = { field: o.value, type: 'quantitative' as const, title: o.valueTitle,
    // Linear: headroom above the tallest bar for its rotated value label.
    scale: log ? { type: 'log' as const } : { type: 'linear' as const, zero: true, domainMax: Math.max(...values) * 1.15 },
    // No stacking: a stacked bar starts at 0, which a log scale cannot show.
    stack: null, axis: { grid: true, format: '~s' } };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: o.title, fontSize: 15, anchor: 'start' },
    width,
    height: 300,
    background: 'white',
    padding: 12,
    data: { values: rows.map((r) => ({ ...r })) },
    encoding: { x, xOffset, y },
    layer: [
      {
        mark: { type: 'bar', tooltip: true },
        encoding: {
          color: { field: o.series, type: 'nominal', sort: o.seriesOrder ? [...o.seriesOrder] : null,
            scale: { scheme: 'tableau10' }, legend: { title: null, orient: 'top', labelFontSize: 12, labelLimit: 0, columns: legendColumns(rows, o.series).columns ?? Math.min(seriesCount, 8) } },
        },
      },
      {
        mark: { type: 'text', angle: 270, align: 'left', baseline: 'middle', dx: 3, fontSize: 9, color: '#333' },
        encoding: { text: { field: o.value, type: 'quantitative', format: o.labelFormat ?? '.3~s' } },
      },
    ],
    config: { view: { stroke: null }, axis: { titleFontSize: 12 } },
  } as ChartSpec;
}

export interface LineChartOptions {
  title: string;
  x: string;
  xTitle: string;
  y: string;
  yTitle: string;
  series: string;
  seriesOrder?: readonly string[];
  logX?: boolean;
  logY?: boolean;
  /** Mark each value with a point (default true; off for dense time series). */
  points?: boolean;
  /** Number format of the x axis (default `~s`, SI prefixes). */
  xFormat?: string;
}

/** Long series names get a two-column legend, so none is cut short or runs off the chart. */
function legendColumns(rows: readonly Record<string, unknown>[], series: string): { columns?: number } {
  const longest = Math.max(0, ...rows.map((r) => String(r[series]).length));
  return longest > 20 ? { columns: 2 } : {};
}

/** Lines with points, one per series (e.g. time vs context size per serializer). */
export function lineChart(rows: readonly Record<string, unknown>[], o: LineChartOptions): ChartSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: o.title, fontSize: 15, anchor: 'start' },
    width: 460,
    height: 300,
    background: 'white',
    padding: 12,
    data: { values: rows.map((r) => ({ ...r })) },
    mark: { type: 'line', point: o.points === false ? false : { size: 60 }, tooltip: true },
    encoding: {
      x: { field: o.x, type: 'quantitative', title: o.xTitle, scale: { type: o.logX ? 'log' : 'linear' }, axis: { format: o.xFormat ?? '~s' } },
      y: { field: o.y, type: 'quantitative', title: o.yTitle, scale: { type: o.logY ? 'log' : 'linear' }, axis: { grid: true, format: '~s' } },
      color: { field: o.series, type: 'nominal', sort: o.seriesOrder ? [...o.seriesOrder] : null, scale: { scheme: 'tableau10' },
        legend: { title: null, orient: 'top', labelLimit: 0, ...legendColumns(rows, o.series) } },
    },
    config: { view: { stroke: null } },
  } as ChartSpec;
}

/** Render a Vega-Lite spec to a standalone SVG document. */
export async function renderSvg(spec: ChartSpec): Promise<string> {
  const compiled = compile(spec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    const svg = await view.toSVG();
    return svg.startsWith('<?xml') ? svg : `<?xml version="1.0" encoding="UTF-8"?>\n${svg}`;
  } finally {
    view.finalize();
  }
}
