import {
  ErrorCodes,
  ResponseError,
  type DefinitionParams,
  type DocumentSymbol,
  type DocumentSymbolParams,
  type Location,
  type PrepareRenameParams,
  type Range,
  type ReferenceParams,
  type RenameParams,
  type TextDocuments,
  type WorkspaceEdit,
  type Position,
} from 'vscode-languageserver';
import type { Relations } from '../workspace/relations';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Engine } from '../engine';
import { acrossDefinition, acrossReferences, type SetPlace } from '../services/across';
import { definition, prepareRename, references, rename } from '../services/navigation';
import { documentSymbols } from '../services/symbols';
import { openFile } from './open-file';
import type { WorkspaceSet } from './workspace-set';

/** Outline, definition, references and rename; a refused rename is an error the editor shows as is. */
export class NavigationHandler {
  constructor(
    private readonly documents: TextDocuments<TextDocument>,
    private readonly engine: Engine,
    /** The workspace's other objects: a Service's pods, a ConfigMap a pod reads, and back. */
    private readonly set?: WorkspaceSet,
  ) {}

  documentSymbols(params: DocumentSymbolParams): DocumentSymbol[] | null {
    const open = openFile(this.documents, this.engine, params.textDocument.uri);
    return open ? documentSymbols(open.file, open.doc) : null;
  }

  definition(params: DefinitionParams): Location[] | null {
    const open = openFile(this.documents, this.engine, params.textDocument.uri);
    if (!open) return null;
    const own = definition(open.file, open.doc, params.position);
    const across = this.across(open.doc, open.file.text, params.position, (r, k, at) => acrossDefinition(r, k, at));
    return merged(own, across);
  }

  references(params: ReferenceParams): Location[] | null {
    const open = openFile(this.documents, this.engine, params.textDocument.uri);
    if (!open) return null;
    const include = params.context.includeDeclaration;
    const own = references(open.file, open.doc, params.position, include);
    const across = this.across(open.doc, open.file.text, params.position, (r, k, at) =>
      acrossReferences(r, k, at, include),
    );
    return merged(own, across);
  }

  /** Places in other objects of the workspace, as locations. */
  private across(
    doc: TextDocument,
    text: string,
    position: Position,
    find: (relations: Relations, key: string, offset: number) => SetPlace[],
  ): Location[] {
    const relations = this.set?.relationsFor(doc.uri, text);
    if (!relations) return [];
    return find(relations, doc.uri, doc.offsetAt(position)).flatMap((p) => this.set!.location(p) ?? []);
  }

  prepareRename(params: PrepareRenameParams): { range: Range; placeholder: string } | null {
    const open = openFile(this.documents, this.engine, params.textDocument.uri);
    if (!open) return null;
    const result = prepareRename(open.file, open.doc, params.position);
    // VS Code shows the message of a rejected prepareRename; a null would only say "cannot rename"
    if (!result.ok) throw new ResponseError(ErrorCodes.InvalidRequest, result.message);
    return { range: result.range, placeholder: result.placeholder };
  }

  rename(params: RenameParams): WorkspaceEdit | null {
    const open = openFile(this.documents, this.engine, params.textDocument.uri);
    if (!open) return null;
    const result = rename(open.file, open.doc, params.position, params.newName);
    if (!result.ok) throw new ResponseError(ErrorCodes.InvalidParams, result.message);
    return result.edit;
  }
}

/** Both answers, each location once; null when neither has one. */
function merged(own: Location[] | null, across: Location[]): Location[] | null {
  const out = [...(own ?? [])];
  const seen = new Set(out.map(locationKey));
  for (const l of across) {
    if (seen.has(locationKey(l))) continue;
    seen.add(locationKey(l));
    out.push(l);
  }
  return out.length > 0 ? out : null;
}

function locationKey(l: Location): string {
  return `${l.uri}:${l.range.start.line}:${l.range.start.character}:${l.range.end.line}:${l.range.end.character}`;
}
