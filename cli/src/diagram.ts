// `sidecar-pods diagram`: the editor's pod diagram as a standalone SVG file.
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Settings } from '../../shared/src/settings';
import { Engine, positionsOf, tooLargeFinding } from '../../server/src/engine';
import { DARK, LIGHT } from '../../webview/src/theme';
import { svgDocument } from '../../webview/src/render';
import { readBounded, reason } from './files';

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
  /** Command-line settings; the config file nearest to the file overrides them, as in `lint`. */
  settings: Settings;
  /** --kubernetes-version, which says the last word over the config file. */
  kubernetesVersion?: string;
  cwd: string;
}

export interface DiagramIO {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  readStdin: () => string;
}

export function diagram(args: DiagramArgs, io: DiagramIO): number {
  let text: string;
  try {
    text = args.file === '-' ? io.readStdin() : readBounded(args.file).toString('utf8');
  } catch (e) {
    io.stderr(`sidecar-pods: ${args.file}: ${reason(e, args.file)}\n`);
    return 2;
  }
  const engine = new Engine({ log: (m) => io.stderr(`sidecar-pods: internal error: ${m}\n`) });
  const file = engine.open(text);
  if (!file) {
    io.stderr(`sidecar-pods: ${args.file}: ${tooLargeFinding(text.length).message}\n`);
    return 2;
  }
  if (args.doc !== undefined && args.doc > file.documents.length) {
    io.stderr(
      `sidecar-pods: --doc ${args.doc}: ${args.file} has ${file.documents.length} YAML document${file.documents.length === 1 ? '' : 's'}\n`,
    );
    return 2;
  }
  // the findings drawn are those `lint` reports: the config file governing the file applies
  const origin = args.file === '-' ? { folder: args.cwd } : { path: resolve(args.cwd, args.file) };
  const governed = engine.govern(origin, args.settings);
  let settings = governed.ignored ? args.settings : governed.settings;
  if (args.kubernetesVersion !== undefined) settings = { ...settings, kubernetesVersion: args.kubernetesVersion };
  const model = engine.diagram(file, settings, {
    uri: args.file,
    version: 0,
    positionAt: positionsOf(text),
    ...(args.doc !== undefined ? { document: args.doc - 1 } : {}),
  });
  if (model.pods.length === 0) {
    const where = args.doc !== undefined ? `document ${args.doc} of ${args.file}` : args.file;
    const why = !file.template
      ? ''
      : file.template.syntax === 'go'
        ? ' (a Helm/Go template: render it first)'
        : ' (a placeholder stands where YAML expects a value: fill it in first)';
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
