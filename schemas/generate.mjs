#!/usr/bin/env node
// Builds schemas/kubernetes-pod-kinds.schema.json (the pod-bearing kinds) and
// schemas/kubernetes-object-kinds.schema.json (every other built-in kind people write: Service,
// ConfigMap, Ingress, RBAC...) from the upstream Kubernetes definitions. Two files, so that a
// server that only ever sees pods neither loads nor compiles the rest (see schemas/compile.mjs).
//
//   node schemas/generate.mjs           rewrite the committed schemas
//   node schemas/generate.mjs --check   exit 1 if a committed schema is not the generator's output
//
// Run it by hand when schemas/upstream/ changes; the build only runs schemas/compile.mjs.
// The upstream file is permissive (see schemas/upstream/ATTRIBUTION.md); this step keeps only the
// definitions reachable from the pod-bearing kinds and makes them say what the API server accepts:
// unknown fields are flagged, optional fields take null, IntOrString/Quantity are plain type
// unions (one readable error instead of a oneOf storm), and string fields get enums where the
// allowed values are certain. A wrong enum is a false alarm on a real manifest, so every enum
// below cites where its values come from and the generator fails if a cited sentence disappears.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const UPSTREAM = join(here, 'upstream', 'v1.36.0-definitions.json');
export const OUTPUT = join(here, 'kubernetes-pod-kinds.schema.json');
export const OBJECTS_OUTPUT = join(here, 'kubernetes-object-kinds.schema.json');

export const POD_KINDS = {
  Pod: 'io.k8s.api.core.v1.Pod',
  PodTemplate: 'io.k8s.api.core.v1.PodTemplate',
  ReplicationController: 'io.k8s.api.core.v1.ReplicationController',
  Deployment: 'io.k8s.api.apps.v1.Deployment',
  StatefulSet: 'io.k8s.api.apps.v1.StatefulSet',
  DaemonSet: 'io.k8s.api.apps.v1.DaemonSet',
  ReplicaSet: 'io.k8s.api.apps.v1.ReplicaSet',
  Job: 'io.k8s.api.batch.v1.Job',
  CronJob: 'io.k8s.api.batch.v1.CronJob',
};

/**
 * The other built-in kinds: every kind of a GA version (v1, v2) of the io.k8s.api groups, except
 * the pod kinds above, Lists, and what nobody writes into a manifest (requests and reviews the
 * API answers, objects only controllers and kubelets write, discovery documents).
 * CustomResourceDefinition is left out too: its openAPIV3Schema is a JSON schema of its own, the
 * upstream definition of it accepts nearly anything, and a CRD is often the biggest document of a
 * file.
 */
const NOT_WRITTEN = new Set([
  'APIGroup',
  'APIGroupList',
  'APIResourceList',
  'APIVersions',
  'Binding',
  'ComponentStatus',
  'DeleteOptions',
  'Eviction',
  'Event',
  'Lease',
  'LocalSubjectAccessReview',
  'Node',
  'Scale',
  'SelfSubjectAccessReview',
  'SelfSubjectReview',
  'SelfSubjectRulesReview',
  'Status',
  'SubjectAccessReview',
  'TokenRequest',
  'TokenReview',
  'WatchEvent',
  'ControllerRevision',
  'CSINode',
  'VolumeAttachment',
  'IPAddress',
  'CustomResourceDefinition',
]);

/** Export name of an object kind's validator: `core_v1_Service`, `networking_k8s_io_v1_Ingress`. */
export function objectKindId(apiVersion, kind) {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['core', apiVersion];
  return `${group.replace(/[^A-Za-z0-9]/g, '_')}_${version}_${kind}`;
}

/** { id: { apiVersion, kind, definition } } of the object kinds, in id order. */
export function objectKinds(definitions) {
  const podDefinitions = new Set(Object.values(POD_KINDS));
  const out = {};
  for (const [name, def] of Object.entries(definitions)) {
    if (!name.startsWith('io.k8s.api.') || podDefinitions.has(name)) continue;
    for (const gvk of def['x-kubernetes-group-version-kind'] ?? []) {
      if (!/^v\d+$/.test(gvk.version) || gvk.kind.endsWith('List') || NOT_WRITTEN.has(gvk.kind)) continue;
      // shared definitions (DeleteOptions) are listed under every group; a kind only under its own
      if (!ownGroupVersion(name, gvk)) continue;
      const apiVersion = gvk.group === '' ? gvk.version : `${gvk.group}/${gvk.version}`;
      out[objectKindId(apiVersion, gvk.kind)] = { apiVersion, kind: gvk.kind, definition: name };
    }
  }
  return sortKeys(out);
}

/** io.k8s.api.networking.v1.Ingress is networking.k8s.io/v1's; io.k8s.api.core.v1.Service the core group's v1. */
function ownGroupVersion(name, gvk) {
  const [, , , short, version] = name.split('.');
  const group = gvk.group === '' ? 'core' : gvk.group.split('.')[0];
  return short === group && version === gvk.version;
}

const QUANTITY = 'io.k8s.apimachinery.pkg.api.resource.Quantity';
const INT_OR_STRING = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';
const TIME = 'io.k8s.apimachinery.pkg.apis.meta.v1.Time';

// Superset of what resource.ParseQuantity accepts: the regular expression the API server quotes
// in its own error message, with the whitespace that Quantity.UnmarshalJSON trims.
export const QUANTITY_PATTERN = '^\\s*[+-]?[0-9.]+[eEinumkKMGTP]*[-+]?[0-9]*\\s*$';
// StorageMedium: "" (node default), Memory, HugePages, HugePages-<size> (core/v1 types.go).
export const MEDIUM_PATTERN = '^(Memory|HugePages(-.+)?)?$';

// Human wording for each pattern, copied into the compiled validators for error messages.
export const PATTERN_HINTS = {
  [QUANTITY_PATTERN]: 'a quantity such as 500m, 128Mi or 1Gi',
  [MEDIUM_PATTERN]: '"", Memory, HugePages or HugePages-<size>',
};

// Enum table. `def`/`prop` name the field (`items: true` = the array's items); `values` are the
// allowed strings; `origin` is the sentence of the upstream description that lists them
// (verified below), or, where the description does not list them, `api` names the Go constants
// in k8s.io/api that define the set (all case-sensitive in API validation).
const C = 'io.k8s.api.core.v1.';
const A = 'io.k8s.api.apps.v1.';
const B = 'io.k8s.api.batch.v1.';
const M = 'io.k8s.apimachinery.pkg.apis.meta.v1.';
export const ENUMS = [
  // Containers
  {
    def: C + 'Container',
    prop: 'imagePullPolicy',
    values: ['Always', 'Never', 'IfNotPresent'],
    origin: 'One of Always, Never, IfNotPresent.',
  },
  {
    def: C + 'EphemeralContainer',
    prop: 'imagePullPolicy',
    values: ['Always', 'Never', 'IfNotPresent'],
    origin: 'One of Always, Never, IfNotPresent.',
  },
  {
    def: C + 'Container',
    prop: 'terminationMessagePolicy',
    values: ['File', 'FallbackToLogsOnError'],
    origin: 'File will use the contents of terminationMessagePath',
  },
  {
    def: C + 'EphemeralContainer',
    prop: 'terminationMessagePolicy',
    values: ['File', 'FallbackToLogsOnError'],
    origin: 'File will use the contents of terminationMessagePath',
  },
  // The 1.36 description only spells out "Always" (native sidecars); ContainerRestartPolicy also
  // has OnFailure and Never since 1.34 (restartPolicyRules: "container MUST set RestartPolicy
  // explicitly even it if matches the Pod's RestartPolicy").
  {
    def: C + 'Container',
    prop: 'restartPolicy',
    values: ['Always', 'OnFailure', 'Never'],
    origin: 'setting the RestartPolicy as "Always" for the init container',
    api: 'ContainerRestartPolicyAlways/OnFailure/Never',
  },
  {
    def: C + 'ContainerRestartRuleOnExitCodes',
    prop: 'operator',
    values: ['In', 'NotIn'],
    origin: 'Possible values are: - In:',
  },
  {
    def: C + 'ContainerResizePolicy',
    prop: 'resourceName',
    values: ['cpu', 'memory'],
    origin: 'Supported values: cpu, memory.',
  },
  {
    def: C + 'ContainerResizePolicy',
    prop: 'restartPolicy',
    values: ['NotRequired', 'RestartContainer'],
    origin: 'it defaults to NotRequired.',
    api: 'ResourceResizeRestartPolicy: NotRequired, RestartContainer',
  },
  { def: C + 'ContainerPort', prop: 'protocol', values: ['TCP', 'UDP', 'SCTP'], origin: 'Must be UDP, TCP, or SCTP.' },
  // Services
  {
    def: C + 'ServicePort',
    prop: 'protocol',
    values: ['TCP', 'UDP', 'SCTP'],
    origin: 'Supports "TCP", "UDP", and "SCTP".',
  },
  {
    def: C + 'ServiceSpec',
    prop: 'type',
    values: ['ExternalName', 'ClusterIP', 'NodePort', 'LoadBalancer'],
    origin: 'Valid options are ExternalName, ClusterIP, NodePort, and LoadBalancer.',
  },
  {
    def: C + 'VolumeMount',
    prop: 'mountPropagation',
    values: ['None', 'HostToContainer', 'Bidirectional'],
    origin: 'When not set, MountPropagationNone is used.',
    api: 'MountPropagationNone/HostToContainer/Bidirectional',
  },
  {
    def: C + 'VolumeMount',
    prop: 'recursiveReadOnly',
    values: ['Disabled', 'IfPossible', 'Enabled'],
    origin: 'If this field is set to IfPossible or Enabled',
  },
  {
    def: C + 'HTTPGetAction',
    prop: 'scheme',
    values: ['HTTP', 'HTTPS'],
    origin: 'Defaults to HTTP.',
    api: 'URISchemeHTTP, URISchemeHTTPS',
  },
  {
    def: C + 'SecurityContext',
    prop: 'procMount',
    values: ['Default', 'Unmasked'],
    origin: 'The default value is Default',
    api: 'DefaultProcMount, UnmaskedProcMount',
  },
  {
    def: C + 'SeccompProfile',
    prop: 'type',
    values: ['Localhost', 'RuntimeDefault', 'Unconfined'],
    origin:
      'Localhost - a profile defined in a file on the node should be used. RuntimeDefault - the container runtime default profile should be used. Unconfined - no profile should be applied.',
  },
  {
    def: C + 'AppArmorProfile',
    prop: 'type',
    values: ['Localhost', 'RuntimeDefault', 'Unconfined'],
    origin:
      "Localhost - a profile pre-loaded on the node. RuntimeDefault - the container runtime's default profile. Unconfined - no AppArmor enforcement.",
  },
  // Pod spec
  {
    def: C + 'PodSpec',
    prop: 'restartPolicy',
    values: ['Always', 'OnFailure', 'Never'],
    origin: 'One of Always, OnFailure, Never.',
  },
  {
    def: C + 'PodSpec',
    prop: 'dnsPolicy',
    values: ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'],
    origin: "Valid values are 'ClusterFirstWithHostNet', 'ClusterFirst', 'Default' or 'None'.",
  },
  {
    def: C + 'PodSpec',
    prop: 'preemptionPolicy',
    values: ['Never', 'PreemptLowerPriority'],
    origin: 'One of Never, PreemptLowerPriority.',
  },
  {
    def: C + 'PodSecurityContext',
    prop: 'fsGroupChangePolicy',
    values: ['OnRootMismatch', 'Always'],
    origin: 'Valid values are "OnRootMismatch" and "Always".',
  },
  {
    def: C + 'PodSecurityContext',
    prop: 'seLinuxChangePolicy',
    values: ['MountOption', 'Recursive'],
    origin: 'Valid values are "MountOption" and "Recursive".',
  },
  {
    def: C + 'PodSecurityContext',
    prop: 'supplementalGroupsPolicy',
    values: ['Merge', 'Strict'],
    origin: 'Valid values are "Merge" and "Strict".',
  },
  {
    def: C + 'Toleration',
    prop: 'operator',
    values: ['Exists', 'Equal', 'Lt', 'Gt'],
    origin: 'Valid operators are Exists, Equal, Lt, and Gt.',
  },
  {
    def: C + 'Toleration',
    prop: 'effect',
    values: ['', 'NoSchedule', 'PreferNoSchedule', 'NoExecute'],
    origin:
      'Empty means match all taint effects. When specified, allowed values are NoSchedule, PreferNoSchedule and NoExecute.',
  },
  {
    def: C + 'TopologySpreadConstraint',
    prop: 'whenUnsatisfiable',
    values: ['DoNotSchedule', 'ScheduleAnyway'],
    origin: '- DoNotSchedule (default) tells the scheduler not to schedule it. - ScheduleAnyway tells',
  },
  {
    def: C + 'TopologySpreadConstraint',
    prop: 'nodeAffinityPolicy',
    values: ['Honor', 'Ignore'],
    origin:
      'Options are: - Honor: only nodes matching nodeAffinity/nodeSelector are included in the calculations. - Ignore:',
  },
  {
    def: C + 'TopologySpreadConstraint',
    prop: 'nodeTaintsPolicy',
    values: ['Honor', 'Ignore'],
    origin:
      'Options are: - Honor: nodes without taints, along with tainted nodes for which the incoming pod has a toleration, are included. - Ignore:',
  },
  {
    def: C + 'NodeSelectorRequirement',
    prop: 'operator',
    values: ['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt'],
    origin: 'Valid operators are In, NotIn, Exists, DoesNotExist. Gt, and Lt.',
  },
  {
    def: M + 'LabelSelectorRequirement',
    prop: 'operator',
    values: ['In', 'NotIn', 'Exists', 'DoesNotExist'],
    origin: 'Valid operators are In, NotIn, Exists and DoesNotExist.',
  },
  // Volumes
  {
    def: C + 'HostPathVolumeSource',
    prop: 'type',
    values: ['', 'DirectoryOrCreate', 'Directory', 'FileOrCreate', 'File', 'Socket', 'CharDevice', 'BlockDevice'],
    origin: 'type for HostPath Volume Defaults to ""',
    api: 'HostPathType constants (HostPathUnset = "")',
  },
  {
    def: C + 'ImageVolumeSource',
    prop: 'pullPolicy',
    values: ['Always', 'Never', 'IfNotPresent'],
    origin: 'Possible values are: Always:',
  },
  {
    def: C + 'PersistentVolumeClaimSpec',
    prop: 'volumeMode',
    values: ['Filesystem', 'Block'],
    origin: 'Value of Filesystem is implied when not included in claim spec.',
    api: 'PersistentVolumeBlock, PersistentVolumeFilesystem',
  },
  {
    def: C + 'PersistentVolumeClaimSpec',
    prop: 'accessModes',
    items: true,
    values: ['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod'],
    origin: 'accessModes contains the desired access modes',
    api: 'PersistentVolumeAccessMode constants',
  },
  // Workloads
  {
    def: A + 'DeploymentStrategy',
    prop: 'type',
    values: ['Recreate', 'RollingUpdate'],
    origin: 'Can be "Recreate" or "RollingUpdate".',
  },
  {
    def: A + 'DaemonSetUpdateStrategy',
    prop: 'type',
    values: ['RollingUpdate', 'OnDelete'],
    origin: 'Can be "RollingUpdate" or "OnDelete".',
  },
  {
    def: A + 'StatefulSetUpdateStrategy',
    prop: 'type',
    values: ['RollingUpdate', 'OnDelete'],
    origin: 'Default is RollingUpdate.',
    api: 'RollingUpdateStatefulSetStrategyType, OnDeleteStatefulSetStrategyType',
  },
  {
    def: A + 'StatefulSetSpec',
    prop: 'podManagementPolicy',
    values: ['OrderedReady', 'Parallel'],
    origin: 'The default policy is `OrderedReady`',
  },
  {
    def: A + 'StatefulSetPersistentVolumeClaimRetentionPolicy',
    prop: 'whenDeleted',
    values: ['Retain', 'Delete'],
    origin:
      'The default policy of `Retain` causes PVCs to not be affected by StatefulSet deletion. The `Delete` policy',
  },
  {
    def: A + 'StatefulSetPersistentVolumeClaimRetentionPolicy',
    prop: 'whenScaled',
    values: ['Retain', 'Delete'],
    origin: 'The default policy of `Retain` causes PVCs to not be affected by a scaledown. The `Delete` policy',
  },
  {
    def: B + 'JobSpec',
    prop: 'completionMode',
    values: ['NonIndexed', 'Indexed'],
    origin: 'It can be `NonIndexed` (default) or `Indexed`.',
  },
  {
    def: B + 'JobSpec',
    prop: 'podReplacementPolicy',
    values: ['TerminatingOrFailed', 'Failed'],
    origin: 'TerminatingOrFailed and Failed are allowed values',
  },
  {
    def: B + 'PodFailurePolicyOnExitCodesRequirement',
    prop: 'operator',
    values: ['In', 'NotIn'],
    origin: 'Possible values are:  - In:',
  },
  {
    def: B + 'CronJobSpec',
    prop: 'concurrencyPolicy',
    values: ['Allow', 'Forbid', 'Replace'],
    origin: 'Valid values are:  - "Allow" (default)',
  },
  // Written by the API server, shown by `kubectl get -o yaml`.
  {
    def: M + 'ManagedFieldsEntry',
    prop: 'operation',
    values: ['Apply', 'Update'],
    origin: "The only valid values for this field are 'Apply' and 'Update'.",
  },
];

// Deliberately NOT enumerated although the description lists values (a false alarm costs more
// than a missed typo):
// - ContainerRestartRule.action: the description says "The only possible value is "Restart"",
//   yet kubernetes/website's restart-all-containers.yaml uses RestartAllContainers (feature gate).
// - PodFailurePolicyRule.action: "Additional values are considered to be added in the future."
// - PodOS.name (linux, windows): "Additional value may be defined in future".
// - PodCertificateProjection.keyType: new API whose key types are still growing.
// - AzureDiskVolumeSource.cachingMode/kind: the description's spelling ("Read Only") is not
//   the API's (ReadOnly).

// Properties whose value is constrained by a pattern instead of an enum.
const PATTERNS = [
  {
    def: C + 'EmptyDirVolumeSource',
    prop: 'medium',
    pattern: MEDIUM_PATTERN,
    origin: 'Must be an empty string (default) or Memory.',
    api: 'StorageMediumHugePages, StorageMediumHugePagesPrefix',
  },
];

const sortKeys = (obj) =>
  Object.fromEntries(
    Object.keys(obj)
      .sort()
      .map((k) => [k, obj[k]]),
  );
const refName = (ref) => ref.replace('#/definitions/', '');

function fail(message) {
  throw new Error(`generate.mjs: ${message}`);
}

/** Returns the generated schema of the pod kinds (or, with `objects`, of the other kinds) as an object. */
export function generateSchema(upstream = JSON.parse(readFileSync(UPSTREAM, 'utf8')), objects = false) {
  const source = upstream.definitions;
  const objectTable = objects ? objectKinds(source) : undefined;
  const roots = objectTable ? Object.values(objectTable).map((k) => k.definition) : Object.values(POD_KINDS);

  // Reachable definitions, minus the scalar ones that are inlined where used.
  const inlined = new Set([QUANTITY, INT_OR_STRING, TIME]);
  const reachable = new Set();
  const queue = [...new Set(roots)];
  while (queue.length > 0) {
    const name = queue.shift();
    if (reachable.has(name)) continue;
    if (!source[name]) fail(`missing definition ${name}`);
    reachable.add(name);
    JSON.stringify(source[name], (key, value) => {
      if (key === '$ref') queue.push(refName(value));
      return value;
    });
  }
  for (const name of inlined) reachable.delete(name);

  const scalar = (name, description) => {
    // `title` keeps the Kubernetes type name for hovers (kubectl explain says <Quantity> too).
    const base =
      name === QUANTITY
        ? { title: 'Quantity', type: ['string', 'number'], pattern: QUANTITY_PATTERN }
        : name === INT_OR_STRING
          ? { title: 'IntOrString', type: ['string', 'integer'], format: 'int-or-string' }
          : { title: 'Time', type: 'string', format: 'date-time' };
    return description === undefined ? base : { description, ...base };
  };

  // Schema of a property or of array items / map values (never a definition root).
  const convert = (schema, nullable) => {
    let out;
    if (schema.$ref) {
      const target = refName(schema.$ref);
      if (inlined.has(target)) {
        out = scalar(target, schema.description ?? source[target].description);
      } else {
        const { $ref, ...rest } = schema;
        out = nullable ? { ...rest, anyOf: [{ $ref }, { type: 'null' }] } : { ...schema };
        return out;
      }
    } else {
      out = { ...schema };
      if (schema.items) out.items = convert(schema.items, false);
      // Map values: Go decodes a null map value to the zero value, so the API server takes it.
      if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
        out.additionalProperties = convert(schema.additionalProperties, true);
      }
    }
    if (nullable) {
      if (out.type === undefined) fail(`cannot make ${JSON.stringify(schema)} nullable`);
      out.type = [...(Array.isArray(out.type) ? out.type : [out.type]), 'null'];
      if (out.enum) out.enum = [...out.enum, null];
    }
    return out;
  };

  // Enums and patterns first (on the upstream shapes), so nullable handling sees them.
  const patched = JSON.parse(JSON.stringify(source));
  const prop = (def, name) => {
    const schema = patched[def]?.properties?.[name];
    if (!schema) fail(`no property ${def}.${name}`);
    return schema;
  };
  for (const entry of [...ENUMS, ...PATTERNS]) {
    const schema = prop(entry.def, entry.prop);
    const squash = (text) => text.replace(/\s+/g, ' ');
    if (!squash(schema.description ?? '').includes(squash(entry.origin)))
      fail(`${entry.def}.${entry.prop}: description no longer says ${JSON.stringify(entry.origin)}`);
    const target = entry.items ? schema.items : schema;
    if (target.type !== 'string' || target.enum || target.pattern)
      fail(`${entry.def}.${entry.prop} is not a plain string`);
    if (entry.values) target.enum = [...entry.values];
    if (entry.pattern) target.pattern = entry.pattern;
  }

  const definitions = {};
  for (const name of [...reachable].sort()) {
    const def = patched[name];
    const out = { ...def };
    if (def.properties) {
      const required = new Set(def.required ?? []);
      out.properties = {};
      for (const [key, schema] of Object.entries(def.properties))
        out.properties[key] = convert(schema, !required.has(key));
      if (def.additionalProperties === undefined && !def['x-kubernetes-preserve-unknown-fields'])
        out.additionalProperties = false;
    }
    definitions[name] = out;
  }

  const kinds = objectTable
    ? {
        'x-object-kinds': Object.fromEntries(
          Object.entries(objectTable).map(([id, k]) => [
            id,
            { apiVersion: k.apiVersion, kind: k.kind, $ref: `#/definitions/${k.definition}` },
          ]),
        ),
      }
    : {
        'x-pod-kinds': Object.fromEntries(
          Object.entries(POD_KINDS).map(([kind, name]) => [kind, `#/definitions/${name}`]),
        ),
      };
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $comment:
      'Generated by schemas/generate.mjs from schemas/upstream/v1.36.0-definitions.json (Kubernetes OpenAPI via cdk8s-team/cdk8s, Apache-2.0; see schemas/upstream/ATTRIBUTION.md). Do not edit by hand.',
    'x-kubernetes-version': '1.36.0',
    ...kinds,
    definitions: sortKeys(definitions),
  };
}

/** The exact text written to schemas/kubernetes-pod-kinds.schema.json (with `objects`: the other kinds' file). */
export function generateText(objects = false) {
  return JSON.stringify(generateSchema(undefined, objects), null, 2) + '\n';
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const [output, objects] of [
    [OUTPUT, false],
    [OBJECTS_OUTPUT, true],
  ]) {
    const text = generateText(objects);
    if (process.argv.includes('--check')) {
      let current = '';
      try {
        current = readFileSync(output, 'utf8');
      } catch {
        // missing file: reported below
      }
      if (current !== text) {
        process.stderr.write(`${output} is out of date: run \`node schemas/generate.mjs\`\n`);
        process.exit(1);
      }
    } else {
      writeFileSync(output, text);
      process.stdout.write(
        `wrote ${output} (${Object.keys(JSON.parse(text).definitions).length} definitions, ${text.length} bytes)\n`,
      );
    }
  }
}
