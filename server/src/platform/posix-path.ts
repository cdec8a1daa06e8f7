// node:path for the browser server: the POSIX functions that the config and kustomize lookups
// use, over URI paths ('/owner/repo/dir/file.yaml'), with '/' as the working directory. The
// browser bundle resolves node:path here (esbuild.mjs); Node builds keep the real module, and a
// unit test holds these to path.posix's answers.
export const sep = '/';
export const delimiter = ':';

/** The segments of an absolute path with `.`, `..` and empty ones resolved. */
function segments(path: string): string[] {
  const out: string[] = [];
  for (const s of path.split('/')) {
    if (s === '' || s === '.') continue;
    if (s === '..') out.pop();
    else out.push(s);
  }
  return out;
}

export function isAbsolute(path: string): boolean {
  return path.startsWith('/');
}

export function resolve(...paths: string[]): string {
  let joined = '';
  for (let i = paths.length - 1; i >= 0 && !isAbsolute(joined); i--) {
    const p = paths[i]!;
    if (p !== '') joined = joined === '' ? p : `${p}/${joined}`;
  }
  return `/${segments(joined).join('/')}`;
}

export function normalize(path: string): string {
  if (path === '') return '.';
  const absolute = isAbsolute(path);
  const out: string[] = [];
  for (const s of path.split('/')) {
    if (s === '' || s === '.') continue;
    if (s === '..' && out.length > 0 && out[out.length - 1] !== '..') out.pop();
    else if (s !== '..' || !absolute) out.push(s);
  }
  const body = out.join('/');
  const trailing = path.endsWith('/') && body !== '' ? '/' : '';
  if (absolute) return `/${body}${trailing}`;
  return body === '' ? '.' : `${body}${trailing}`;
}

export function join(...paths: string[]): string {
  const parts = paths.filter((p) => p !== '');
  return parts.length === 0 ? '.' : normalize(parts.join('/'));
}

export function dirname(path: string): string {
  if (path === '') return '.';
  const trimmed = path.replace(/\/+$/, '');
  if (trimmed === '') return '/';
  const i = trimmed.lastIndexOf('/');
  if (i < 0) return '.';
  const dir = trimmed.slice(0, i).replace(/\/+$/, '');
  return dir === '' ? '/' : dir;
}

export function basename(path: string, suffix?: string): string {
  const trimmed = path.replace(/\/+$/, '');
  const base = trimmed.slice(trimmed.lastIndexOf('/') + 1);
  return suffix !== undefined && suffix !== base && base.endsWith(suffix) ? base.slice(0, -suffix.length) : base;
}

export function relative(from: string, to: string): string {
  const a = segments(resolve(from));
  const b = segments(resolve(to));
  let common = 0;
  while (common < a.length && common < b.length && a[common] === b[common]) common++;
  return [...a.slice(common).map(() => '..'), ...b.slice(common)].join('/');
}

export const posix = { sep, delimiter, isAbsolute, resolve, normalize, join, dirname, basename, relative };
export default posix;
