export interface FormatTableOptions {
  truncate?: number | boolean;
  maxRows?: number;
}
export function formatTable(columns: readonly string[], rows: readonly (readonly unknown[])[], options: FormatTableOptions = {}): string { throw new Error('not implemented'); }
export function formatCell(value: unknown): string { throw new Error('not implemented'); }
