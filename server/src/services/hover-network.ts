import type { PodRoles } from '../model/main-container';
// Hovers about pod networking: ports, hostNetwork, dnsPolicy, shareProcessNamespace.
import { injectionRequests } from '../model/sidecars';
import type { ContainerModel, PodModel, PortModel } from '../model/types';
import { getBoolean, getString } from '../model/yaml-nodes';
import {
  cell,
  code,
  K8S_DOCS,
  link,
  nameOf,
  names,
  plain,
  podContainers,
  roleOf,
  runTogether,
  table,
} from './hover-text';

const POD_NETWORKING = link('Pod networking', `${K8S_DOCS}/concepts/workloads/pods/#pod-networking`);

export type PortFocus = 'containerPort' | 'hostPort' | 'name' | 'other';

function portText(port: PortModel): string {
  return `${port.containerPort?.value ?? '?'}/${plain(port.protocol)}`;
}

/** The pod's whole port map, the hovered port first among facts: owner, localhost, node, conflicts. */
export function portHover(
  pod: PodModel,
  owner: ContainerModel,
  port: PortModel,
  focus: PortFocus,
  roles: PodRoles,
): string {
  const hostNetwork = getBoolean(pod.spec, 'hostNetwork') === true;
  const named = port.name ? ` ${code(port.name.value)}` : '';
  const parts: string[] = [`**Port ${portText(port)}**${named} of ${roleOf(owner, roles)} ${code(nameOf(owner))}`];

  const facts: string[] = [];
  if (focus === 'hostPort' || port.hostPort) facts.push(hostPortFact(pod, port, hostNetwork));
  if (hostNetwork) {
    facts.push(
      "`hostNetwork: true`: the port opens on the node itself and `localhost` is the node's, shared with every other host-network pod there.",
    );
  }
  if (owner.role === 'init') {
    facts.push(
      `${code(nameOf(owner))} is an init container: the port is open only while it runs, before the app containers start.`,
    );
  } else if (owner.role === 'ephemeral') {
    facts.push('Ephemeral containers may not declare ports; the API server rejects this one.');
  } else if (port.containerPort) {
    facts.push(
      `The other containers of this pod reach it at ${code(`localhost:${port.containerPort.value}`)}; other pods at the pod IP, usually through a Service${port.name ? ' (a Service may target it by name)' : ''}.`,
    );
  }
  facts.push(...conflicts(pod, owner, port));
  if (facts.length > 0) parts.push(facts.map((f) => `- ${f}`).join('\n'));
  parts.push(portMap(pod, port, roles));
  const local = localhostSummary(pod);
  if (local) parts.push(local);
  parts.push(POD_NETWORKING);
  return parts.join('\n\n');
}

function hostPortFact(pod: PodModel, port: PortModel, hostNetwork: boolean): string {
  const everyone = names(podContainers(pod));
  if (!port.hostPort) {
    return `No \`hostPort\`: the port is reachable through the pod IP only. With one, the node's port forwards here and at most one such pod fits on each node (containers ${everyone} share the pod's IP).`;
  }
  const same = port.containerPort && port.hostPort.value === port.containerPort.value;
  const mismatch =
    hostNetwork && port.containerPort && !same ? ' With `hostNetwork: true` it must equal `containerPort`.' : '';
  return `\`hostPort: ${port.hostPort.value}\`: the node's port ${port.hostPort.value}/${plain(port.protocol)} forwards to this container, so the scheduler places at most one such pod on each node; the whole pod (containers ${everyone}) is tied to that node port.${mismatch}`;
}

function conflicts(pod: PodModel, owner: ContainerModel, port: PortModel): string[] {
  const out: string[] = [];
  for (const other of pod.containers) {
    if (!runTogether(owner, other)) continue;
    for (const p of other.ports) {
      if (p.protocol !== port.protocol) continue;
      if (port.containerPort && p.containerPort?.value === port.containerPort.value) {
        out.push(
          `**Conflict:** ${code(nameOf(other))} declares ${portText(p)} too and runs at the same time; only one of them can bind it.`,
        );
      } else if (port.hostPort && p.hostPort?.value === port.hostPort.value) {
        out.push(
          `**Conflict:** ${code(nameOf(other))} asks for hostPort ${p.hostPort.value}/${plain(p.protocol)} too.`,
        );
      }
    }
  }
  if (port.name) {
    const twins = pod.containers.filter(
      (c) => c !== owner && c.role !== 'ephemeral' && c.ports.some((p) => p.name?.value === port.name!.value),
    );
    if (twins.length > 0) {
      out.push(
        `The name ${code(port.name.value)} is also used by ${names(twins)}: a Service's named \`targetPort\` takes the first container that has it.`,
      );
    }
  }
  if (port.containerPort && owner.role !== 'init') {
    for (const request of injectionRequests(pod)) {
      if (request.injector.reservedPorts.includes(port.containerPort.value)) {
        out.push(
          `**Conflict:** ${request.injector.title} injects a proxy that binds ${port.containerPort.value} in this pod (asked for by ${code(request.trigger.key)}).`,
        );
      }
    }
  }
  return out;
}

function portMap(pod: PodModel, hovered: PortModel, roles: PodRoles): string {
  const rows: string[][] = [];
  for (const c of podContainers(pod)) {
    for (const p of c.ports) {
      const host = p.hostPort ? ` (host ${p.hostPort.value})` : '';
      const text = `${portText(p)}${host}`;
      rows.push([
        cell(nameOf(c)),
        roleOf(c, roles),
        p === hovered ? `**${text}**` : text,
        p.name ? cell(p.name.value) : '',
      ]);
    }
  }
  for (const request of injectionRequests(pod)) {
    for (const ghost of request.ghosts) {
      if (ghost.ports.length === 0) continue;
      rows.push([cell(ghost.name), `injected by ${request.injector.title}`, ghost.ports.join(', '), '']);
    }
  }
  return `Ports of this pod:\n\n${table(['container', 'role', 'port', 'name'], rows)}`;
}

/** What a process in the pod finds on localhost once the app containers run. */
function localhostSummary(pod: PodModel): string | undefined {
  const open: string[] = [];
  for (const c of podContainers(pod)) {
    if (c.role === 'init') continue;
    for (const p of c.ports) if (p.containerPort) open.push(`${p.containerPort.value} (${code(nameOf(c))})`);
  }
  if (open.length === 0) return undefined;
  return `On \`localhost\` while the app runs: ${open.join(', ')}.`;
}

export type PodWideField = 'hostNetwork' | 'dnsPolicy' | 'shareProcessNamespace';

export const POD_WIDE_FIELDS: readonly PodWideField[] = ['hostNetwork', 'dnsPolicy', 'shareProcessNamespace'];

/** A pod-level switch: what it does to every container of this pod, by name. */
export function podFieldHover(pod: PodModel, field: PodWideField): string {
  const all = podContainers(pod);
  const everyone = `all ${all.length} container${all.length === 1 ? '' : 's'} of this pod (${names(all)})`;
  switch (field) {
    case 'hostNetwork': {
      const on = getBoolean(pod.spec, 'hostNetwork') === true;
      const dns = getString(pod.spec, 'dnsPolicy')?.value;
      const lines = on
        ? [
            `**hostNetwork: true** puts ${everyone} in the node's network namespace: no pod IP of its own, every port opens on the node (hostPort must equal containerPort), and \`localhost\` is the node's.`,
            dns === 'ClusterFirstWithHostNet'
              ? 'DNS: `ClusterFirstWithHostNet` keeps cluster names resolvable.'
              : "DNS: without `dnsPolicy: ClusterFirstWithHostNet` the containers use the node's resolver and cannot resolve cluster Service names.",
          ]
        : [
            `**hostNetwork: false**${getBoolean(pod.spec, 'hostNetwork') === undefined ? ' (unset)' : ''}: ${everyone} share the pod's own network namespace and IP; they reach each other on \`localhost\`. Set \`true\` only for node agents: the pod then uses the node's network.`,
          ];
      return [...lines, POD_NETWORKING].join('\n\n');
    }
    case 'dnsPolicy': {
      const value = getString(pod.spec, 'dnsPolicy')?.value;
      const effective = value ?? 'ClusterFirst';
      return [
        `**dnsPolicy: ${plain(effective)}**${value === undefined ? ' (the default)' : ''} writes the \`/etc/resolv.conf\` of ${everyone}.`,
        DNS_POLICIES[effective] ??
          'Not a policy the kubelet knows: expected ClusterFirst, ClusterFirstWithHostNet, Default or None.',
        link("Pod's DNS policy", `${K8S_DOCS}/concepts/services-networking/dns-pod-service/#pod-s-dns-policy`),
      ].join('\n\n');
    }
    case 'shareProcessNamespace': {
      const on = getBoolean(pod.spec, 'shareProcessNamespace') === true;
      return [
        on
          ? `**shareProcessNamespace: true**: ${everyone} see and can signal each other's processes, and reach each other's files through \`/proc/<pid>/root\`. PID 1 is the pod's pause process, not the app: an app that relies on being PID 1 (signal handling, reaping) may behave differently.`
          : `**shareProcessNamespace: false** (${getBoolean(pod.spec, 'shareProcessNamespace') === undefined ? 'unset' : 'set'}): each of ${everyone} has its own process namespace, its main process is PID 1. Set \`true\` when a sidecar must see or signal the app's processes (a config reloader sending SIGHUP, a debugger).`,
        link('Share process namespace', `${K8S_DOCS}/tasks/configure-pod-container/share-process-namespace/`),
      ].join('\n\n');
    }
  }
}

const DNS_POLICIES: Record<string, string> = {
  ClusterFirst:
    'Cluster names (`my-svc.my-ns.svc.cluster.local`) resolve through the cluster DNS; other names go upstream. With `hostNetwork: true` it falls back to `Default`.',
  ClusterFirstWithHostNet: 'Like ClusterFirst, and keeps cluster DNS for pods with `hostNetwork: true`.',
  Default: "The node's resolver: cluster Service names do not resolve.",
  None: 'Only what `dnsConfig` sets (nameservers, searches, options); `dnsConfig` is then required.',
};
