export function findUnserializable(value: unknown, rootName = 'context'): string | undefined { throw new Error('not implemented'); }
export interface UnserializableValue { path: string; kind: string; reason: string }
export function describeUnserializable(value: unknown, rootName = 'context'): UnserializableValue | undefined { throw new Error('not implemented'); }
