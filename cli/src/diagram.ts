// `sidecar-pods diagram`: the editor's pod diagram as a standalone SVG file.
import { readFileSync, writeFileSync } from 'node:fs';
import { DEFAULT_SETTINGS, type Settings } from '../../shared/src/settings';
import { ModelCache } from '../../server/src/model/file-model';
import { buildDiagram } from '../../server/src/services/diagram';
import { Linter } from '../../server/src/engine/linter';
import { DARK, LIGHT } from '../../webview/src/theme';
import { svgDocument } from '../../webview/src/render';
import { reason } from './files';
import { positionsOf } from './positions';

export const DIAGRAM_USAGE = `Usage: sidecar-pods diagram FILE [--doc N] [--theme light|dark] -o OUT.svg

Draws the pods of a Kubernetes YAML file as an SVG picture: containers by lane (init, native
sidecar, regular, injected by a webhook), shared volumes with mount paths, the shared network
namespace with each container's ports (clashes in red), probes, and the findings of \`lint\`.

Options:
  --doc N                      only the Nth YAML document of the file (1 = the first)
  --theme light|dark           colours (default: light)
  --kubernetes-version 1.N     the Kubernetes version the findings assume (default: 1.33)
  -o, --output OUT.svg         where to write the picture (- for standard output)
  -h, --help                   show this help

Exit status: 0 written, 1 no pod to draw, 2 bad usage or an unreadable or unwritable file.
`;

export interface DiagramArgs {
  file: string;
  /** 1-based, as given on the command line. */
  doc?: number;
  theme: 'light' | 'dark';
  output: string;
  settings: Settings;
}

export interface DiagramIO {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  readStdin: () => string;
}

export function diagram(args: DiagramArgs, io: DiagramIO): number {
  let text: string;
  try {
    text = args.file === '-' ? io.readStdin() : readFileSync(args.file, 'utf8');
  } catch (e) {
    io.stderr(`sidecar-pods: ${args.file}: ${reason(e)}\n`);
    return 2;
  }
  const file = new ModelCache().parseFile(text);
  if (args.doc !== undefined && args.doc > file.documents.length) {
    io.stderr(
      `sidecar-pods: --doc ${args.doc}: ${args.file} has ${file.documents.length} YAML document${file.documents.length === 1 ? '' : 's'}\n`,
    );
    return 2;
  }
  const linter = new Linter(undefined, (m) => io.stderr(`sidecar-pods: internal error: ${m}\n`));
  const model = buildDiagram({
    uri: args.file,
    version: 0,
    file,
    findings: linter.lint(file, args.settings ?? DEFAULT_SETTINGS),
    positionAt: positionsOf(text),
    ...(args.doc !== undefined ? { document: args.doc - 1 } : {}),
  });
  if (model.pods.length === 0) {
    const where = args.doc !== undefined ? `document ${args.doc} of ${args.file}` : args.file;
    const why = file.template ? ' (a Helm/Go template: render it first)' : '';
    io.stderr(`sidecar-pods: no Kubernetes pod in ${where}${why}\n`);
    return 1;
  }
  const svg = svgDocument(model.pods, args.theme === 'dark' ? DARK : LIGHT);
  if (args.output === '-') {
    io.stdout(svg);
    return 0;
  }
  try {
    writeFileSync(args.output, svg);
  } catch (e) {
    io.stderr(`sidecar-pods: ${args.output}: ${reason(e)}\n`);
    return 2;
  }
  io.stderr(`sidecar-pods: wrote ${args.output} (${model.pods.length} pod${model.pods.length === 1 ? '' : 's'})\n`);
  return 0;
}
