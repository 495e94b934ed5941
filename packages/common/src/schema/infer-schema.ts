import * as arrow from 'apache-arrow';
export function inferSchema(rows: Iterable<Record<string, unknown>>): arrow.Schema { throw new Error('not implemented'); }
