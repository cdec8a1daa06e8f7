import { MarkupKind, type Hover, type HoverParams, type TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Engine } from '../engine';
import { acrossHover } from '../services/across';
import { hover } from '../services/hover';
import { openFile } from './open-file';
import type { WorkspaceSet } from './workspace-set';

export class HoverHandler {
  constructor(
    private readonly documents: TextDocuments<TextDocument>,
    private readonly engine: Engine,
    /** The workspace's other objects: who receives a Service's traffic, who routes to a port. */
    private readonly set?: WorkspaceSet,
  ) {}

  hover(params: HoverParams): Hover | null {
    const open = openFile(this.documents, this.engine, params.textDocument.uri);
    if (!open) return null;
    const uri = open.doc.uri;
    const own = hover(open.file, open.doc, params.position, this.set?.sidecarSetsElsewhere(uri));
    const relations = this.set?.relationsFor(uri, open.file.text);
    const across =
      relations && acrossHover(relations, uri, open.doc.offsetAt(params.position), (k) => this.set!.displayName(k));
    if (!across) return own;
    const range = { start: open.doc.positionAt(across.range.start), end: open.doc.positionAt(across.range.end) };
    if (!own) return { contents: { kind: MarkupKind.Markdown, value: across.markdown }, range };
    const ownText = typeof own.contents === 'object' && 'value' in own.contents ? own.contents.value : '';
    return {
      contents: { kind: MarkupKind.Markdown, value: `${ownText}\n\n---\n\n${across.markdown}` },
      range: own.range ?? range,
    };
  }
}
