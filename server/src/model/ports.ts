// Container ports as written: the YAML behind a port entry and the rules for port names.
import { isMap, isScalar, type Scalar, type YAMLMap } from 'yaml';
import { hasPlaceholder } from './placeholders';
import { getNode, getSeq, hasMergeKey, mapItems, nodeRange } from './yaml-nodes';
import type { ContainerModel, Located, PortModel } from './types';

const MAX_NAME_LENGTH = 15;

/** The YAML map a port of the model was built from. */
export function portNode(container: ContainerModel, port: PortModel): YAMLMap | undefined {
  return mapItems(getSeq(container.node, 'ports')).find(({ node }) => nodeRange(node).start === port.range.start)?.node;
}

/**
 * Whether the model holds every port the container declares. Ports written through aliases or
 * merge keys are not in it, nor is the number or name of a placeholder (`containerPort: "${PORT}"`,
 * `name: $(params.port-name)`), so "the container does not declare X" cannot be said then.
 */
export function portsKnown(container: ContainerModel): boolean {
  const ports = getNode(container.node, 'ports');
  if (ports === undefined) return true;
  const seq = getSeq(container.node, 'ports');
  return seq !== undefined && seq.items.every((item) => isMap(item) && !hasMergeKey(item) && !placeholderPort(item));
}

function placeholderPort(port: YAMLMap): boolean {
  return ['containerPort', 'name'].some((key) => {
    const node = getNode(port, key);
    return isScalar(node) && hasPlaceholder(node.value);
  });
}

/**
 * Why a port name is not an IANA service name (RFC 6335 section 5.1), after the API server's
 * k8s.io/apimachinery validation.IsValidPortName; undefined when it is one.
 */
export function portNameProblem(name: string): string | undefined {
  if (name.length > MAX_NAME_LENGTH) return `must be no more than ${MAX_NAME_LENGTH} characters`;
  if (!/^[a-z0-9-]*$/.test(name)) return 'must contain only lower-case letters (a-z), digits (0-9) and hyphens (-)';
  if (name.includes('--')) return 'must not contain consecutive hyphens';
  if (!/[a-z]/.test(name)) return 'must contain at least one letter (a-z)';
  if (name.startsWith('-') || name.endsWith('-')) return 'must not begin or end with a hyphen';
  return undefined;
}

/**
 * The non-empty names of a container's ports, in order, with their scalars. Names written as
 * numbers or booleans are left to the schema rule, which reports (and quotes) them.
 */
export function portNames(container: ContainerModel): (Located<string> & { node: Scalar })[] {
  if (container.ports.length === 0) return [];
  // the port entries read once for all ports (portNode reads them for one)
  const entries = mapItems(getSeq(container.node, 'ports'));
  return container.ports.flatMap((port) => {
    const entry = entries.find(({ node }) => nodeRange(node).start === port.range.start)?.node;
    const node = getNode(entry, 'name');
    return port.name && port.name.value !== '' && isScalar(node) && typeof node.value === 'string'
      ? [{ ...port.name, node }]
      : [];
  });
}
