import { parseDocument, type Document } from 'yaml';
import { parseBlockYaml, toPlainValue } from './block-yaml';
import { buildItemPods, buildPods } from './pod-builder';
import { looksLikePodDocument, namesNonPodKind } from './kind-lines';
import type { DocumentModel, ListPart, SyntaxProblem } from './types';

/**
 * Aliases a document may expand before we refuse to build its value: an alias bomb ("billion
 * laughs") then costs a bounded amount of work instead of hanging the server.
 */
const MAX_ALIAS_COUNT = 1000;

// YAML 1.2 core schema: timestamps and `yes`/`no` stay strings. Merge keys (`<<: *base`) are
// honoured, as by the Go YAML decoder kubectl and the API server use; the option costs about 15%
// of the parse, so it is only set for a text that has a `<<` key at all.
// `logLevel: 'error'`: the package would otherwise print a process warning (on the CLI's stderr,
// in the server's log) when it turns a key that is a list or a map into a string for the schema.
const PARSE_OPTIONS = { prettyErrors: false, uniqueKeys: true, strict: false, logLevel: 'error' } as const;
const MERGE_OPTIONS = { ...PARSE_OPTIONS, merge: true } as const;
const MERGE_KEY = /<<['"]?[ \t]*:/;

/**
 * `SIDECAR_PODS_NO_FAST_PATH=1` sends every document to `yaml`, for triage: a finding that changes
 * with it set is a bug of the fast path (see bench/README.md). Read once, when this module loads;
 * there is no `process` where the server might one day run in a browser worker.
 */
export const NO_FAST_PATH_ENV = 'SIDECAR_PODS_NO_FAST_PATH';
const noFastPath = typeof process !== 'undefined' ? process.env?.[NO_FAST_PATH_ENV] : undefined;
/** Any value but empty or `0` turns the fast path off. */
const FAST_PATH = noFastPath === undefined || noFastPath === '' || noFastPath === '0';

/**
 * `yaml`'s tree of one document. The block-style YAML of most manifests takes a fast path that
 * builds the same tree (see block-yaml.ts); a text with merge keys, or anything that path is not
 * sure of, goes to `yaml`.
 */
function parseYaml(text: string): Document.Parsed {
  if (MERGE_KEY.test(text)) return parseDocument(text, MERGE_OPTIONS);
  const fast = FAST_PATH ? parseBlockYaml(text, PARSE_OPTIONS) : undefined;
  if (!fast) return parseDocument(text, PARSE_OPTIONS);
  BLOCK_PARSED.add(fast);
  return fast;
}

/** Documents the fast path built: their value needs none of toJS()'s alias and merge handling. */
const BLOCK_PARSED = new WeakSet<Document.Parsed>();

/** Whether the fast path built this tree rather than `yaml` (for the test of the switch above). */
export function parsedByFastPath(yaml: Document.Parsed): boolean {
  return BLOCK_PARSED.has(yaml);
}

/**
 * Parses one document's text, or one part of a big List (see split.ts). Never throws on user
 * input.
 */
export function parseDocumentModel(text: string, part?: ListPart): DocumentModel {
  if (!part && namesNonPodKind(text)) return notAPod(text);
  let yaml: Document.Parsed;
  try {
    yaml = parseYaml(text);
  } catch (e) {
    // The parser does not throw on bad input, but a fault here must not take the server down.
    yaml = parseDocument('');
    const message = e instanceof Error ? e.message : String(e);
    return model(text, yaml, [{ message: `YAML parser failed: ${message}`, range: { start: 0, end: 0 } }], part);
  }
  const syntaxErrors: SyntaxProblem[] = yaml.errors.map((err) => ({
    message: cleanMessage(err.message),
    range: visibleRange(text, err.pos[0], Math.max(err.pos[1], err.pos[0])),
  }));
  return model(text, yaml, syntaxErrors, part);
}

/**
 * The model of `text`, parsed the first time any part of it is read, and again after release().
 * Reads in one synchronous stretch see one parse: release() is for the owner of the model between
 * two such stretches (see DiagnosticsHandler), never for a reader in the middle of one.
 */
export function deferredDocumentModel(
  text: string,
  onParse: () => void = () => undefined,
  part?: ListPart,
): DocumentModel {
  let model: DocumentModel | undefined;
  const real = (): DocumentModel => {
    if (!model) {
      model = parseDocumentModel(text, part);
      onParse();
    }
    return model;
  };
  return {
    text,
    get yaml() {
      return real().yaml;
    },
    get syntaxErrors() {
      return real().syntaxErrors;
    },
    get isPodDocument() {
      return real().isPodDocument;
    },
    get pods() {
      return real().pods;
    },
    value: () => real().value(),
    release() {
      model = undefined;
    },
  };
}

/** A document that holds no pod: nothing to check; its YAML is parsed only if someone asks. */
function notAPod(text: string): DocumentModel {
  let yaml: Document.Parsed | undefined;
  const parsed = (): Document.Parsed => (yaml ??= parseYaml(text));
  return {
    text,
    get yaml() {
      return parsed();
    },
    syntaxErrors: [],
    isPodDocument: false,
    pods: [],
    value() {
      return toValue(parsed());
    },
  };
}

function toValue(yaml: Document.Parsed): ReturnType<DocumentModel['value']> {
  if (BLOCK_PARSED.has(yaml)) return { ok: true, value: toPlainValue(yaml.contents) };
  try {
    return { ok: true, value: yaml.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) };
  } catch (e) {
    return { ok: false, message: e instanceof Error ? e.message : String(e) };
  }
}

function model(text: string, yaml: Document.Parsed, syntaxErrors: SyntaxProblem[], part?: ListPart): DocumentModel {
  let pods: DocumentModel['pods'];
  try {
    // an item of a big List, parsed on its own, is a sequence of that one item
    pods = part === 'list-item' ? buildItemPods(yaml.contents) : buildPods(yaml.contents);
  } catch {
    pods = [];
  }
  // YAML that parses says what it is; broken YAML is judged by its `kind:` line, and a part of a
  // List (split because it is big, which only a List of workloads is in practice) by being broken
  const broken = syntaxErrors.length > 0 && (part !== undefined || looksLikePodDocument(text));
  return {
    text,
    yaml,
    syntaxErrors,
    isPodDocument: pods.length > 0 || broken,
    pods,
    value() {
      return toValue(yaml);
    },
  };
}

/**
 * The parser reports an unclosed collection at the end of the text, often on an empty last line
 * where nobody looks: move such a range onto the last line that has content.
 */
function visibleRange(text: string, start: number, end: number): SyntaxProblem['range'] {
  const contentEnd = text.trimEnd().length;
  if (start < contentEnd) return { start, end };
  const lineStart = text.lastIndexOf('\n', contentEnd - 1) + 1;
  const indent = /^[ \t]*/.exec(text.slice(lineStart, contentEnd))![0].length;
  return { start: Math.min(lineStart + indent, contentEnd), end: contentEnd };
}

/** The parser's messages end with a code frame when prettyErrors is on, and a position otherwise. */
function cleanMessage(message: string): string {
  // the parser turns a stack overflow on absurdly deep nesting into an error at that spot
  if (/Maximum call stack size exceeded/.test(message)) return 'the YAML nests too deeply to be read';
  return message.replace(/ at line \d+, column \d+:?[\s\S]*$/, '').trim();
}
