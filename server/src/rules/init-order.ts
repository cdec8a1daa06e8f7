import { moveInitContainerBefore } from '../fixes/native-sidecar';
import { commandLine, envValues } from '../model/container-text';
import { containerLabel } from '../model/describe';
import type { ContainerModel, Located } from '../model/types';
import type { PodRule } from '../engine/types';

/**
 * `localhost:P`, `127.0.0.1:P`, `[::1]:P`, as in URLs, host:port arguments and env values, and the
 * host and port apart as wait loops write them (`nc -z localhost 5432`).
 */
const LOCAL_ADDRESS = /(?:\blocalhost|\b127\.0\.0\.1|\[::1\])(?::| +)(\d{1,5})(?![\d.])/g;
const LOCAL_HOST = /^(localhost|127\.0\.0\.1|::1)$/;

/**
 * Where a sidecar listens: its declared ports, and the ports its own flags name. Localhost-only
 * helpers such as the Cloud SQL Auth Proxy usually declare no port at all, so flags count:
 * `--port 5432`, `--http-address=0.0.0.0:4180`, v2 instance options `?port=5432` and v1 instance
 * specs `=tcp:5432`.
 */
function listenPorts(sidecar: ContainerModel): Set<number> {
  const ports = new Set<number>();
  for (const p of sidecar.ports) if (p.containerPort) ports.add(p.containerPort.value);
  const words = commandLine(sidecar)
    .map((w) => w.value)
    .join(' ');
  const flags =
    /(?:--?port[= ]|[?&]port=|=tcp:|--?[\w-]*(?:address|listen)[\w-]*[= ](?:[\w.-]*|\[[\d:a-f]*\]):)(\d{1,5})(?!\d)/gi;
  for (const m of words.matchAll(flags)) ports.add(Number(m[1]));
  return ports;
}

/** The local ports an init container calls, each with the word it was found in. */
function calls(init: ContainerModel): { port: number; where: Located<string> }[] {
  const out: { port: number; where: Located<string> }[] = [];
  const words = commandLine(init);
  for (const where of [...words, ...envValues(init).map((e) => e.value)]) {
    for (const m of where.value.matchAll(LOCAL_ADDRESS)) out.push({ port: Number(m[1]), where });
  }
  // ["nc", "-z", "localhost", "5432"]: the host and the port as two words
  words.forEach((word, i) => {
    const next = words[i + 1];
    if (LOCAL_HOST.test(word.value.trim()) && next && /^\d{1,5}$/.test(next.value.trim()))
      out.push({ port: Number(next.value), where: word });
  });
  return out;
}

export const initOrder: PodRule = {
  meta: {
    id: 'init-order',
    description:
      'An init container calls localhost:P where P belongs to a native sidecar declared after it: init containers start in order, so the sidecar is not up yet.',
    defaultSeverity: 'warning',
    fixable: true,
    docs: 'https://kubernetes.io/docs/concepts/workloads/pods/sidecar-containers/#sidecar-containers-and-pod-lifecycle',
    wholePod: true,
  },
  scope: 'pod',
  check(pod, ctx) {
    const init = pod.containers.filter((c) => c.list === 'initContainers');
    const called = init.map((c) => (c.role === 'init' ? calls(c) : []));
    // where the sidecars listen is read only when an init container calls a local port at all
    if (called.every((c) => c.length === 0)) return;
    const listening = new Map(init.filter((c) => c.role === 'sidecar').map((c) => [c, listenPorts(c)]));
    init.forEach((caller, position) => {
      if (caller.role !== 'init') return;
      const reported = new Set<string>();
      for (const { port, where } of called[position]!) {
        // A sidecar declared before the caller already serves the port; the call reaches it.
        const servedEarlier = init.slice(0, position).some((c) => listening.get(c)?.has(port));
        const later = init.slice(position + 1).find((c) => listening.get(c)?.has(port));
        const key = `${where.range.start}:${port}`;
        if (servedEarlier || !later || reported.has(key)) continue;
        reported.add(key);
        const doc = ctx.document;
        ctx.report({
          message: `init container ${containerLabel(caller)} calls localhost:${port}, which native sidecar ${containerLabel(later)} serves, but that sidecar is declared after it: init containers start one by one in order, so it is not running yet`,
          range: where.range,
          related: [
            { range: later.name?.range ?? later.range, message: `${containerLabel(later)} listens on ${port}` },
          ],
          fixes: () => {
            // The containers the sidecar would now start before must not bind its ports.
            const skipped = init.slice(position, init.indexOf(later));
            const ports = listening.get(later) ?? new Set<number>();
            const clash = skipped.some((c) => c.ports.some((p) => p.containerPort && ports.has(p.containerPort.value)));
            const edits = clash ? undefined : moveInitContainerBefore(doc, pod, later.index, caller.index);
            return edits
              ? [
                  {
                    title: `Move sidecar ${containerLabel(later)} before ${containerLabel(caller)}`,
                    edits,
                    safe: false,
                    preferred: true,
                  },
                ]
              : [];
          },
        });
      }
    });
  },
};
