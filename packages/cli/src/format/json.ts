/** Bitsets inside policy refs are internal; JSON shows the rest (ConnectionSets render via toJSON). */
export function jsonReplacer(key: string, value: unknown): unknown {
  if (key === 'subjects' || value instanceof Uint32Array) return undefined;
  return value;
}
