import {
  ErrorCodes,
  ResponseError,
  type CodeLens,
  type CodeLensParams,
  type TextDocuments,
} from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { SHOW_DIAGRAM_COMMAND, type DiagramParams, type DiagramResult } from '../../../shared/src/protocol';
import type { Settings } from '../../../shared/src/settings';
import type { Engine, FileModel, SidecarSetElsewhere, ServiceElsewhere } from '../engine';
import { diagramLenses } from '../services/diagram';
import { isYaml } from './diagnostics-handler';
import { openFile } from './open-file';
import type { SettingsStore } from './settings-store';

/**
 * Above this size a diagram without a document index shows the first pod-bearing document (the
 * webview's picker lists the pods of what it is given), and no lenses are offered.
 */
const WHOLE_FILE_CHARS = 1024 * 1024;

function firstPodDocument(file: FileModel): number | undefined {
  return file.documents.find((d) => d.model.isPodDocument)?.index;
}

/** `sidecarPods/diagram` and the "Show pod diagram" lenses: params in, services, LSP types out. */
export class DiagramHandler {
  constructor(
    private readonly documents: TextDocuments<TextDocument>,
    private readonly engine: Engine,
    private readonly settings: Pick<SettingsStore, 'get'>,
    /** The rendered pods of a kustomization's overlay, when the diagram is asked for one. */
    private readonly rendered?: (uri: string) => Promise<{ model: FileModel; settings: Settings } | undefined>,
    /** The Services of other files of the workspace that select the pod. */
    private readonly elsewhere?: (uri: string, text: string) => ServiceElsewhere[],
    /** The SidecarSets of other files of the workspace, which inject into the pods they select. */
    private readonly sidecarSets?: (uri: string) => SidecarSetElsewhere[],
  ) {}

  async diagram(params: unknown): Promise<DiagramResult> {
    const { uri, document } = checkParams(params);
    const overlay = this.rendered && (await this.rendered(uri));
    if (overlay) {
      const doc = this.documents.get(uri);
      // the boxes are the rendered objects; a place in them is no place in the kustomization
      return this.engine.diagram(overlay.model, overlay.settings, {
        uri,
        version: doc?.version ?? 0,
        positionAt: () => ({ line: 0, character: 0 }),
        ...(document !== undefined ? { document } : {}),
      });
    }
    const settings = await this.settings.get(uri);
    // documents are parsed as they are read: a diagram of one document of a big file does not
    // wait for the rest (its check may still be running)
    const open = openFile(this.documents, this.engine, uri);
    if (!open) return null;
    const { doc, file } = open;
    const shown = document ?? (file.text.length > WHOLE_FILE_CHARS ? firstPodDocument(file) : undefined);
    const elsewhere = this.elsewhere?.(uri, file.text) ?? [];
    return this.engine.diagram(
      file,
      settings,
      {
        uri,
        ...(elsewhere.length > 0 ? { elsewhere } : {}),
        version: doc.version,
        positionAt: (offset) => doc.positionAt(offset),
        ...(shown !== undefined ? { document: shown } : {}),
      },
      this.sidecarSets?.(uri) ?? [],
    );
  }

  codeLenses(params: CodeLensParams): CodeLens[] {
    const doc = this.documents.get(params.textDocument.uri);
    if (!doc || !isYaml(doc)) return [];
    const text = doc.getText();
    // a lens above every pod of a multi-megabyte file is noise, and would parse it all at once
    if (text.length > WHOLE_FILE_CHARS) return [];
    const file = this.engine.open(text, doc.uri);
    if (!file) return [];
    return diagramLenses(file).map((lens) => {
      const at = doc.positionAt(lens.offset);
      return {
        range: { start: at, end: at },
        command: {
          title: lens.title,
          command: SHOW_DIAGRAM_COMMAND,
          arguments: [doc.uri, lens.documentIndex, lens.podId],
        },
      };
    });
  }
}

function checkParams(params: unknown): DiagramParams {
  const p = params as Partial<DiagramParams> | null;
  const document = p?.document;
  if (
    typeof p?.uri !== 'string' ||
    (document !== undefined && document !== null && !(Number.isInteger(document) && document >= 0))
  ) {
    throw new ResponseError(ErrorCodes.InvalidParams, 'expected { uri: string, document?: non-negative integer }');
  }
  return typeof document === 'number' ? { uri: p.uri, document } : { uri: p.uri };
}
