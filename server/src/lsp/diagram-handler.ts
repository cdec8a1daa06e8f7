import {
  ErrorCodes,
  ResponseError,
  type CodeLens,
  type CodeLensParams,
  type TextDocuments,
} from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { SHOW_DIAGRAM_COMMAND, type DiagramParams, type DiagramResult } from '../../../shared/src/protocol';
import type { ModelCache } from '../model/file-model';
import { buildDiagram, diagramLenses } from '../services/diagram';
import type { Linter } from '../services/lint';
import { isYaml } from './diagnostics-handler';
import type { SettingsStore } from './settings-store';

/** `sidecarPods/diagram` and the "Show pod diagram" lenses: params in, services, LSP types out. */
export class DiagramHandler {
  constructor(
    private readonly documents: TextDocuments<TextDocument>,
    private readonly models: ModelCache,
    private readonly linter: Linter,
    private readonly settings: Pick<SettingsStore, 'get'>,
  ) {}

  async diagram(params: unknown): Promise<DiagramResult> {
    const { uri, document } = checkParams(params);
    const settings = await this.settings.get(uri);
    const doc = this.documents.get(uri);
    if (!doc || !isYaml(doc)) return null;
    const file = this.models.parseFile(doc.getText(), uri);
    return buildDiagram({
      uri,
      version: doc.version,
      file,
      findings: this.linter.lint(file, settings),
      positionAt: (offset) => doc.positionAt(offset),
      ...(document !== undefined ? { document } : {}),
    });
  }

  codeLenses(params: CodeLensParams): CodeLens[] {
    const doc = this.documents.get(params.textDocument.uri);
    if (!doc || !isYaml(doc)) return [];
    const file = this.models.parseFile(doc.getText(), doc.uri);
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
