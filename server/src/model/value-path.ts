/** Follows a JSON path through a plain value (numbers index arrays, strings key objects); undefined where it leads nowhere. */
export function walkValue(value: unknown, path: readonly (string | number)[]): unknown {
  let v = value;
  for (const seg of path) {
    if (typeof seg === 'number') v = Array.isArray(v) ? v[seg] : undefined;
    else v = v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>)[seg] : undefined;
  }
  return v;
}
