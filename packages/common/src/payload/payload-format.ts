export interface PayloadMeta {
  kind: 'job' | 'function';
  exportName: string;
  schema: string | null;
  groupBy: string[] | null;
  batchSize: number | null;
  sourceFile: string;
  tsapplyVersion: string;
  [key: string]: unknown;
}
export interface PayloadParts {
  meta: PayloadMeta;
  bundle: string;
  sourceMap: string;
  serializerCode?: string;
  context: unknown;
}
export interface DecodedPayload {
  formatVersion: number;
  serializerId: string;
  meta: PayloadMeta;
  bundle: string;
  sourceMap: string;
  serializerCode: string | undefined;
  context: unknown;
}
