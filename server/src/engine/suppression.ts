// Suppression comments:
//   # sidecar-pods-disable-next-line RULE[, RULE]   on the line above a finding
//   # sidecar-pods-disable RULE[, RULE]             anywhere in a document, for that whole document
// Without a rule list they silence every rule. Text after ` -- ` is a reason for the reader.
import { CST, Lexer } from 'yaml';
import type { Range } from '../model/types';

export const DISABLE = 'sidecar-pods-disable';
export const DISABLE_NEXT_LINE = 'sidecar-pods-disable-next-line';

/**
 * yaml-syntax findings are never silenced by comments: a document that does not parse is rejected
 * by kubectl whatever its comments say, and in broken YAML a `#` may not be the comment it looks
 * like (an unclosed quote swallows it). Turn the rule off in settings if it must go.
 */
export const NOT_SUPPRESSIBLE = new Set(['yaml-syntax']);

/** `undefined` rules = every rule. */
interface Directive {
  rules: ReadonlySet<string> | undefined;
}

export interface Suppressions {
  /** Directives of the whole document. */
  document: Directive[];
  /** 0-based line (in the document's text) -> directives that silence findings starting on it. */
  nextLine: Map<number, Directive[]>;
}

export const NO_SUPPRESSIONS: Suppressions = { document: [], nextLine: new Map() };

const DIRECTIVE = new RegExp(`^#\\s*(${DISABLE_NEXT_LINE}|${DISABLE})(?:\\s+(.*))?$`);
// Tokens the lexer emits that are not source text (see CST.tokenType).
const MARKERS = new Set([CST.DOCUMENT, CST.FLOW_END, CST.SCALAR]);

export interface CommentLine {
  /** 0-based line of the comment in the text. */
  line: number;
  /** Offset of the `#`. */
  start: number;
  text: string;
  /** Nothing but white space before the `#` on its line. */
  ownLine: boolean;
}

/**
 * The real comments of a YAML text, found by the YAML lexer: a `#` inside a block scalar or a
 * quoted string is content, not a comment, and a text search could not tell.
 */
export function comments(text: string): CommentLine[] {
  const out: CommentLine[] = [];
  let offset = 0;
  let line = 0;
  let lineStart = 0;
  for (const token of new Lexer().lex(text)) {
    if (token.length === 1 && MARKERS.has(token)) continue;
    if (token.startsWith('#')) {
      out.push({ line, start: offset, text: token, ownLine: text.slice(lineStart, offset).trim() === '' });
    }
    for (let i = token.indexOf('\n'); i !== -1; i = token.indexOf('\n', i + 1)) {
      line++;
      lineStart = offset + i + 1;
    }
    offset += token.length;
  }
  return out;
}

export function parseDirective(comment: string): { kind: 'line' | 'document'; rules: string[] } | undefined {
  const m = DIRECTIVE.exec(comment.trimEnd());
  if (!m) return undefined;
  const list = ` ${m[2] ?? ''}`.split(/\s--(?:\s|$)/)[0]!.trim();
  const rules = list === '' ? [] : list.split(/[\s,]+/).filter((r) => r !== '');
  return { kind: m[1] === DISABLE_NEXT_LINE ? 'line' : 'document', rules };
}

/** The suppression comments of one document's text; only comments on a line of their own count. */
export function findSuppressions(text: string): Suppressions {
  if (!text.includes(DISABLE)) return NO_SUPPRESSIONS;
  const result: Suppressions = { document: [], nextLine: new Map() };
  for (const c of comments(text)) {
    if (!c.ownLine) continue;
    const d = parseDirective(c.text);
    if (!d) continue;
    const directive: Directive = { rules: d.rules.length === 0 ? undefined : new Set(d.rules) };
    if (d.kind === 'document') {
      result.document.push(directive);
    } else {
      const list = result.nextLine.get(c.line + 1) ?? [];
      list.push(directive);
      result.nextLine.set(c.line + 1, list);
    }
  }
  return result;
}

const covers = (d: Directive, rule: string): boolean => d.rules === undefined || d.rules.has(rule);

/** Whether a finding of `rule` starting at `range.start` (in `text`) is silenced. */
export function isSuppressed(s: Suppressions, text: string, rule: string, range: Range): boolean {
  if (NOT_SUPPRESSIBLE.has(rule)) return false;
  if (s.document.some((d) => covers(d, rule))) return true;
  if (s.nextLine.size === 0) return false;
  const line = lineOf(text, range.start);
  return s.nextLine.get(line)?.some((d) => covers(d, rule)) ?? false;
}

function lineOf(text: string, offset: number): number {
  let line = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}
