/** A swappable context serializer. A custom serializer module's default export has this shape. */
export interface Serializer {
  /** Stable id written into every payload, e.g. `'fast'`. */
  readonly id: string;
  serialize(value: unknown): Uint8Array;
  deserialize(bytes: Uint8Array): unknown;
}
