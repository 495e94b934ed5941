/**
 * What a benchmark suite is, and what it hands back to the runner: tables and charts
 * for the report, grouped in sections, plus raw figures for `latest.json`.
 *
 * A suite registers in `suites.ts` under a name (`serializers`, `local`, `spark`);
 * `run.ts` and `tsapply bench` select suites by that name, run them one after another
 * and write one report per suite. A suite throws `BenchmarkCorrectnessError` when a
 * result is wrong: the runner prints it and exits non-zero.
 */
import type { MeasureProfile } from './measure.js';
import type { ChartSpec } from './charts.js';

export interface SuiteContext {
  /** Quick mode: smaller inputs, fewer runs (CI smoke use). */
  quick: boolean;
  /** Scale factor on input sizes on top of quick mode (tests use tiny inputs). @default 1 */
  scale: number;
  profile: MeasureProfile;
  /** Progress line on stderr (the tables go to stdout). */
  log(message: string): void;
}

export interface ReportTable {
  title: string;
  columns: string[];
  rows: (string | number)[][];
  /** Markdown shown under the table. */
  note?: string;
}

export interface ReportChart {
  /** File stem, unique within the suite: `<suite>-<name>.svg`. */
  name: string;
  /** Alt text and caption. */
  caption: string;
  spec: ChartSpec;
}

export interface ReportSection {
  heading: string;
  /** Markdown paragraph(s) before the tables. */
  text?: string;
  tables: ReportTable[];
  charts: ReportChart[];
}

export interface SuiteResult {
  suite: string;
  title: string;
  /** Markdown: what is measured and how to read it. */
  intro: string;
  sections: ReportSection[];
  /** Raw figures (every sample), written to latest.json. */
  raw: unknown;
}

export interface BenchmarkSuite {
  name: string;
  title: string;
  run(ctx: SuiteContext): Promise<SuiteResult>;
}
