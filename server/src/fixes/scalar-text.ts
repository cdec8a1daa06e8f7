// How to write a new string into the place of an existing scalar without changing what it means.
import { parse, Scalar } from 'yaml';

/**
 * `value` written in the style of `original`: inside the same quotes when it was quoted, plain when
 * plain YAML reads it back as the same string (`http`, not `1e3` or `null`), double-quoted otherwise.
 */
export function scalarText(original: Scalar, value: string): string {
  if (original.type === Scalar.QUOTE_SINGLE) return `'${value.replace(/'/g, "''")}'`;
  if (original.type === Scalar.QUOTE_DOUBLE) return JSON.stringify(value);
  let plain: unknown;
  try {
    plain = parse(value, { logLevel: 'error' }); // no process warning for an odd value (`!tag`)
  } catch {
    plain = undefined;
  }
  return plain === value ? value : JSON.stringify(value);
}
