import * as arrow from 'apache-arrow';
export function toDDL(schema: arrow.Schema): string { throw new Error('not implemented'); }
export function typeToDDL(type: arrow.DataType): string { throw new Error('not implemented'); }
