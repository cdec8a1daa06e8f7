// The one size policy, for the editor and the CLI alike.
import type { Finding } from './types';

/**
 * Files above this many characters (UTF-16 code units, about bytes for manifests) are not
 * checked: 20 MiB of YAML is generated output, not something a person edits, and parsing it would
 * take seconds of CPU and hundreds of MiB for nothing a person reads.
 */
export const MAX_FILE_CHARS = 20 * 1024 * 1024;

/**
 * What the CLI reads of a file at most: UTF-8 takes at most 3 bytes for a UTF-16 code unit, so a
 * file this long is over MAX_FILE_CHARS whatever it holds, and an endless device stops here.
 */
export const MAX_READ_BYTES = 3 * MAX_FILE_CHARS;

export const FILE_TOO_LARGE = 'file-too-large';

export function isTooLarge(chars: number): boolean {
  return chars > MAX_FILE_CHARS;
}

const mb = (n: number): string => `${Math.round((n / 2 ** 20) * 10) / 10} MB`;

/**
 * The one finding on a file too large to check, at its start. `chars` is its length, or undefined
 * when it was not read to its end (over MAX_READ_BYTES).
 */
export function tooLargeFinding(chars: number | undefined): Finding {
  const size = chars === undefined ? `over ${mb(MAX_READ_BYTES)}` : mb(chars);
  return {
    rule: FILE_TOO_LARGE,
    severity: 'info',
    range: { start: 0, end: 0 },
    message: `This file is ${size}; Sidecar Pods checks files up to ${mb(MAX_FILE_CHARS)} and leaves larger ones alone.`,
  };
}
