import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CompletionItem, TextEdit } from 'vscode-languageserver-protocol';
import { FIXTURES } from './lint';

/** A fixture of test/fixtures/completion with its `|` cursor marker taken out. */
export function cursorFixture(name: string): { text: string; offset: number } {
  const raw = readFileSync(join(FIXTURES, 'completion', name), 'utf8');
  const offset = raw.indexOf('|');
  if (offset < 0) throw new Error(`${name} has no | cursor marker`);
  return { text: raw.slice(0, offset) + raw.slice(offset + 1), offset };
}

/** What an editor inserts when every placeholder keeps its default: `${1:x}` -> x, `${1|a,b|}` -> a, `$1` -> nothing. */
export function expandSnippet(snippet: string): string {
  return snippet
    .replace(/\$\{\d+\|((?:\\.|[^,|\\])*)(?:,(?:\\.|[^|\\])*)*\|\}/g, '$1')
    .replace(/\$\{\d+:((?:\\.|[^}\\])*)\}/g, '$1')
    .replace(/\$\d+/g, '')
    .replace(/\\([$}\\,|])/g, '$1');
}

/** The text after accepting `item`: its edit with defaults filled in, then its additional edits. */
export function applyCompletion(text: string, item: CompletionItem): string {
  const edit = item.textEdit as TextEdit | undefined;
  if (!edit || !('range' in edit)) throw new Error(`${item.label} has no textEdit with a range`);
  const doc = TextDocument.create('file:///apply.yaml', 'yaml', 1, text);
  const main = { range: edit.range, newText: item.insertTextFormat === 2 ? expandSnippet(edit.newText) : edit.newText };
  return TextDocument.applyEdits(doc, [...(item.additionalTextEdits ?? []), main]);
}
