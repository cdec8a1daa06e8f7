// Go to definition, find references and rename, for the names a pod refers to inside itself:
// volumes (declared once, mounted by name) and ports (named once, referred to by probes).
import type { Location, Position, Range as LspRange, TextEdit, WorkspaceEdit } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { isScalar } from 'yaml';
import type { ContainerModel, FileModel, Located, PodModel, PortModel } from '../model/types';
import { podTargetAt, toLspRange, type PodTarget } from './pod-target';

const PROBES = new Set(['livenessProbe', 'readinessProbe', 'startupProbe']);
const HANDLERS = new Set(['httpGet', 'tcpSocket', 'grpc']);
const HOOKS = new Set(['postStart', 'preStop']);

/**
 * The port of its own container that a probe or lifecycle hook's `port` value refers to, by name or
 * by number. Probes resolve named ports in their own container only, as the kubelet does.
 */
export function probePortAt(t: PodTarget): { container: ContainerModel; port: PortModel; byName: boolean } | undefined {
  const { container, specPath, cursor } = t;
  if (!container || !specPath || cursor.on !== 'value' || specPath[specPath.length - 1] !== 'port') return undefined;
  const [, , first, second, third] = specPath;
  const isProbe = specPath.length === 5 && PROBES.has(String(first)) && HANDLERS.has(String(second));
  const isHook =
    specPath.length === 6 && first === 'lifecycle' && HOOKS.has(String(second)) && HANDLERS.has(String(third));
  if (!isProbe && !isHook) return undefined;
  if (!isScalar(cursor.node)) return undefined;
  const value = cursor.node.value;
  const port =
    typeof value === 'number'
      ? container.ports.find((p) => p.containerPort?.value === value)
      : typeof value === 'string'
        ? container.ports.find((p) => p.name?.value === value)
        : undefined;
  return port ? { container, port, byName: typeof value === 'string' } : undefined;
}

/** The volume name under the cursor: a volume's own name, or the name in a mount. */
export function volumeNameAt(t: PodTarget): { name: string; declared: boolean } | undefined {
  if (t.cursor.on !== 'value') return undefined;
  const start = t.cursor.range.start;
  if (t.volume?.name && t.volume.name.range.start === start) return { name: t.volume.name.value, declared: true };
  if (t.mount?.name && t.mount.name.range.start === start) return { name: t.mount.name.value, declared: false };
  return undefined;
}

function volumeDefinitions(pod: PodModel, name: string): Located<string>[] {
  return pod.volumes.flatMap((v) => (v.name?.value === name ? [v.name] : []));
}

function volumeMounts(pod: PodModel, name: string): Located<string>[] {
  return pod.containers.flatMap((c) => c.mounts.flatMap((m) => (m.name?.value === name ? [m.name] : [])));
}

/**
 * The pods a volume name refers to one volume in: the pod itself, and where the volume is declared
 * for several pods at once (an Argo WorkflowSpec's volumes) every pod of the object that takes it
 * from there rather than declaring its own.
 */
function podsOfVolume(t: PodTarget, name: string): PodModel[] {
  const shared = t.pod.volumes.find((v) => v.name?.value === name && v.shared);
  if (!shared) return [t.pod];
  const same = (a: readonly (string | number)[], b: readonly (string | number)[]): boolean =>
    a.length === b.length && a.every((seg, i) => seg === b[i]);
  return t.placed.model.pods.filter((p) => {
    const own = p.volumes.find((v) => v.name?.value === name);
    return same(p.objectPath, t.pod.objectPath) && own !== undefined && same(own.path, shared.path);
  });
}

/** A volume's declarations (when asked) and every mount of it, in document order, once each. */
function namesOf(pods: readonly PodModel[], name: string, declarations: boolean): Located<string>[] {
  const found = new Map<number, Located<string>>();
  for (const pod of pods)
    for (const r of [...(declarations ? volumeDefinitions(pod, name) : []), ...volumeMounts(pod, name)])
      found.set(r.range.start, r);
  return [...found.values()].sort((a, b) => a.range.start - b.range.start);
}

export function definition(file: FileModel, doc: TextDocument, position: Position): Location[] | null {
  const t = podTargetAt(file, doc.offsetAt(position));
  if (!t) return null;
  const at = (r: Located<unknown>): Location => ({ uri: doc.uri, range: toLspRange(doc, t.placed, r.range) });
  const volume = volumeNameAt(t);
  if (volume && !volume.declared) {
    const defs = volumeDefinitions(t.pod, volume.name);
    return defs.length > 0 ? defs.map(at) : null;
  }
  const probe = probePortAt(t);
  if (probe) {
    const target = probe.byName ? probe.port.name : probe.port.containerPort;
    return target ? [at(target)] : null;
  }
  return null;
}

export function references(
  file: FileModel,
  doc: TextDocument,
  position: Position,
  includeDeclaration: boolean,
): Location[] | null {
  const t = podTargetAt(file, doc.offsetAt(position));
  const volume = t && volumeNameAt(t);
  if (!t || !volume) return null;
  return namesOf(podsOfVolume(t, volume.name), volume.name, includeDeclaration).map((r) => ({
    uri: doc.uri,
    range: toLspRange(doc, t.placed, r.range),
  }));
}

export type Refusal = { ok: false; message: string };

const NOT_A_VOLUME =
  'Only a volume name can be renamed here: put the cursor on the name of an item of `volumes` (or of a StatefulSet volume claim template) or on the name of a `volumeMounts` item.';

export function prepareRename(
  file: FileModel,
  doc: TextDocument,
  position: Position,
): { ok: true; range: LspRange; placeholder: string } | Refusal {
  const t = podTargetAt(file, doc.offsetAt(position));
  const volume = t && volumeNameAt(t);
  if (!t || !volume) return { ok: false, message: NOT_A_VOLUME };
  return { ok: true, range: toLspRange(doc, t.placed, t.cursor.range), placeholder: volume.name };
}

/** A volume name is a DNS label (RFC 1123), as the API server validates it. */
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export function validVolumeName(name: string): string | undefined {
  if (name.length > 63) return `"${name}" is not a valid volume name: at most 63 characters (it has ${name.length}).`;
  if (!DNS_LABEL.test(name)) {
    return `"${name}" is not a valid volume name: use lower-case letters, digits and '-', starting and ending with a letter or digit (a DNS label, RFC 1123).`;
  }
  return undefined;
}

/** Renames a volume and every mount of it in the same pod; other pods keep their own volumes. */
export function rename(
  file: FileModel,
  doc: TextDocument,
  position: Position,
  newName: string,
): { ok: true; edit: WorkspaceEdit } | Refusal {
  const t = podTargetAt(file, doc.offsetAt(position));
  const volume = t && volumeNameAt(t);
  if (!t || !volume) return { ok: false, message: NOT_A_VOLUME };
  const invalid = validVolumeName(newName);
  if (invalid) return { ok: false, message: invalid };
  const pods = podsOfVolume(t, volume.name);
  if (newName !== volume.name && pods.some((p) => volumeDefinitions(p, newName).length > 0)) {
    // two volumes of one name are rejected by the API server, and the mounts could not tell them apart
    return { ok: false, message: `This pod already has a volume named "${newName}".` };
  }
  const text = t.placed.model.text;
  const edits: TextEdit[] = namesOf(pods, volume.name, true).map((r) => {
    // keep the quotes a name was written with
    const quote = text[r.range.start];
    const wrapped = quote === '"' || quote === "'" ? `${quote}${newName}${quote}` : newName;
    return { range: toLspRange(doc, t.placed, r.range), newText: wrapped };
  });
  return { ok: true, edit: { changes: { [doc.uri]: edits } } };
}
