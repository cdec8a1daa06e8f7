// The custom resources that carry a pod (../shared/specs/workloads.md, section 1): one table, data
// rather than code in each rule. Each entry says where its pods are and what differs; the pod
// builder reads it, and every rule, hover and the diagram then see an ordinary pod.
import type { InjectorId } from './types';

/**
 * Where a pod of a custom resource is written, from the object's root. `*` stands for every key of
 * a map (Kubeflow's replica roles), `[]` for every item of a list (Argo's templates).
 */
export type PodSite = TemplateSite | AssembledSite;

export interface TemplateSite {
  /**
   * The path of the object that holds `metadata` and `spec` of the pod (a PodTemplateSpec, or a
   * Pod object for `shape: 'pod'`), or of the PodSpec itself for `shape: 'spec'`.
   */
  path: readonly string[];
  /** A PodTemplateSpec (`metadata`, `spec`), a whole Pod object (Flink's pod templates), or a PodSpec. */
  shape: 'template' | 'pod' | 'spec';
}

/**
 * A pod that its controller puts together from parts written in the kind's own shape (an Argo
 * template's `container` and `sidecars`, a Tekton Task's `steps`): each container slot is read as
 * a Container of the pod, the volumes as its volumes. Paths are relative to the site's holder
 * (`path`), or to the object's root where marked.
 */
export interface AssembledSite {
  path: readonly string[];
  shape: 'assembled';
  containers: readonly ContainerSlot[];
  /** Lists of volumes: the holder's own, or (`fromRoot`) the object's, shared by all its pods. */
  volumes?: readonly { path: readonly string[]; fromRoot?: boolean }[];
  /** PersistentVolumeClaim templates (from the object's root) whose claims are volumes of every pod, named by metadata.name. */
  claimTemplates?: readonly string[];
  /** The pod's metadata (labels, annotations), under the holder; else `podMetadata` from the root. */
  metadata?: readonly string[];
  podMetadata?: readonly string[];
  /** Container-shaped defaults merged into each container (Tekton's stepTemplate): schema-checked, no required field. */
  defaults?: readonly { path: readonly string[]; extraFields?: readonly string[] }[];
  /** The site's pods are partial (Argo's templateDefaults): no field is required, no whole-pod rule runs. */
  partial?: boolean;
  /** Volumes may be added where the object does not show (by a Tekton run's podTemplate): none counts as missing. */
  volumesElsewhere?: boolean;
  /**
   * Strings holding a pod spec patch that the controller merges into the pod (Argo's
   * podSpecPatch; model/spec-patch.ts): under the holder, or (`fromRoot`) from the object's root.
   */
  specPatches?: readonly { path: readonly string[]; fromRoot?: boolean }[];
}

/** Containers of an assembled pod at one path of its holder. */
export interface ContainerSlot {
  path: readonly string[];
  /** One container (a map) rather than a list of them. */
  single?: boolean;
  /**
   * How it runs: `regular` beside the others; `init` one after another before them; `sidecar`
   * started before the `init` ones and running beside them (Tekton's sidecars and steps).
   */
  role: 'init' | 'regular' | 'sidecar';
  /** Fields of the kind's own beside the Container's (Argo's `source`, Tekton's `script`). */
  extraFields?: readonly string[];
  /** Container fields the Container schema requires that the controller fills in (`name`). */
  optionalFields?: readonly string[];
  /** What the cluster calls the container: the name as written with this prefix (Tekton's `step-`). */
  namePrefix?: string;
  /** What the cluster calls the container whatever its written name (Argo's `main`). */
  clusterName?: string;
  /** What the kind calls such a container, for messages and hovers (`Tekton step`). */
  roleLabel?: string;
  /** Mounts beside each container's own, under the holder (an Argo containerSet's volumeMounts). */
  sharedMounts?: readonly string[];
  /**
   * A container of this slot that sets the boolean `flag` to true also gets the mounts of the
   * container the cluster calls `of` (Argo's mirrorVolumeMounts: those of `main`).
   */
  mirrorsMounts?: { flag: string; of: string };
}

export interface CustomPodKind {
  /** The API group (`argoproj.io`); any version of it, unless `apiVersion` names one. */
  group: string;
  /** Only this apiVersion (a project's configured kind). */
  apiVersion?: string;
  kinds: readonly string[];
  sites: readonly PodSite[];
  /** Its pods run to completion, as a Job's do: a helper that never exits keeps it from ending. */
  completes?: boolean;
  /** A controller merges the pod into one of its own: no field is required, no whole-pod rule runs. */
  partial?: boolean;
  /** Fields beside the PodSpec's in its pod spec (Knative's RevisionSpec), not unknown fields. */
  extraSpecFields?: readonly string[];
  /** Container fields the PodSpec requires that this kind fills in itself (Knative names its one container). */
  optionalContainerFields?: readonly string[];
  /** Its controller stops the helpers once the main containers end (Argo, Tekton): no helper keeps the pod running. */
  stopsSidecars?: boolean;
  /** Containers its controller adds to every pod (Argo's init and wait), shown as injected ghosts. */
  injects?: InjectorId;
  /** Where its own docs are. */
  docs: string;
}

/**
 * An Argo Workflows template as a pod (argo-workflows pkg/apis/workflow/v1alpha1/workflow_types.go,
 * Template): `container` (a Container), `script` (a Container plus `source`) or
 * `containerSet.containers[]` (ContainerNode: a Container plus `dependencies`;
 * container_set_template_types.go), beside `initContainers[]` and `sidecars[]` (UserContainer: a
 * Container plus `mirrorVolumeMounts`), with the template's `volumes` and those of the
 * WorkflowSpec. The controller names the container of `container` and `script` `main`
 * (workflow/common: MainContainerName), so its own name is optional. A template with `steps`,
 * `dag`, `suspend`, `resource`, `data`, `http` or `plugin` has no container and runs no pod of its
 * own: the builder finds no container there and makes no pod.
 *
 * An init container or sidecar with `mirrorVolumeMounts: true` gets the main container's
 * volumeMounts, at the same paths, after its own (UserContainer.MirrorVolumeMounts: "mount the
 * same volumes specified in the main container to the container ... at the same mountPaths";
 * workflow/controller/workflowpod.go: addInitContainers and addSidecars call mirrorVolumeMounts,
 * which appends each of the main container's mounts, the one named `main`). The WorkflowSpec's,
 * templateDefaults' and the template's `podSpecPatch` are merged into the pod (model/spec-patch.ts).
 */
const MIRROR_MAIN = { flag: 'mirrorVolumeMounts', of: 'main' };

function argoTemplates(workflowSpec: readonly string[]): PodSite[] {
  const containers: ContainerSlot[] = [
    { path: ['container'], single: true, role: 'regular', optionalFields: ['name'], clusterName: 'main' },
    {
      path: ['script'],
      single: true,
      role: 'regular',
      extraFields: ['source'],
      optionalFields: ['name'],
      clusterName: 'main',
    },
    {
      path: ['containerSet', 'containers'],
      role: 'regular',
      extraFields: ['dependencies'],
      sharedMounts: ['containerSet', 'volumeMounts'],
    },
    {
      path: ['initContainers'],
      role: 'init',
      extraFields: ['mirrorVolumeMounts'],
      roleLabel: 'Argo init container',
      mirrorsMounts: MIRROR_MAIN,
    },
    // Argo's sidecars are regular containers beside the main one, which the wait container kills
    // when the main container ends: no helper keeps the pod running (stopsSidecars)
    {
      path: ['sidecars'],
      role: 'regular',
      extraFields: ['mirrorVolumeMounts'],
      roleLabel: 'Argo sidecar (stopped when the main container ends)',
      mirrorsMounts: MIRROR_MAIN,
    },
  ];
  const shared = {
    containers,
    volumes: [{ path: ['volumes'] }, { path: [...workflowSpec, 'volumes'], fromRoot: true }],
    claimTemplates: [...workflowSpec, 'volumeClaimTemplates'],
    metadata: ['metadata'],
    podMetadata: [...workflowSpec, 'podMetadata'],
    specPatches: [
      { path: [...workflowSpec, 'podSpecPatch'], fromRoot: true },
      { path: [...workflowSpec, 'templateDefaults', 'podSpecPatch'], fromRoot: true },
      { path: ['podSpecPatch'] },
    ],
  };
  return [
    { path: [...workflowSpec, 'templates', '[]'], shape: 'assembled', ...shared },
    // merged into every template by the controller: what it writes is checked, nothing is required
    { path: [...workflowSpec, 'templateDefaults'], shape: 'assembled', ...shared, partial: true },
  ];
}

/** Fields of a Tekton Step beside the Container's (tektoncd/pipeline pkg/apis/pipeline/v1/container_types.go, Step). */
const TEKTON_STEP_FIELDS = [
  'script',
  'computeResources',
  'timeout',
  'workspaces',
  'onError',
  'stdoutConfig',
  'stderrConfig',
  'params',
  'results',
  'ref',
  'when',
  'displayName',
];

/**
 * A Tekton TaskSpec as a pod (tektoncd/pipeline pkg/apis/pipeline/v1/task_types.go, TaskSpec;
 * container_types.go, Step and Sidecar). Every step is a container of the pod, named `step-<name>`,
 * and so is every sidecar (`sidecar-<name>`); all are started together, but each step's
 * entrypoint waits for the step before it to end (docs/container-contract.md), so steps run one
 * after another, like init containers, while the sidecars, which Tekton waits for before the first
 * step, run beside all of them, like native sidecars declared first: two steps may declare the
 * same port, a step and a sidecar may not. Tekton stops the sidecars once the last step ends.
 * `stepTemplate` is merged into each step; Step's `image` is optional as it may come from there.
 */
function tektonTask(taskSpec: readonly string[], podTemplateVolumes?: readonly string[]): AssembledSite {
  return {
    path: taskSpec,
    shape: 'assembled',
    containers: [
      {
        path: ['sidecars'],
        role: 'sidecar',
        extraFields: ['script', 'computeResources', 'workspaces'],
        optionalFields: ['name'],
        namePrefix: 'sidecar-',
        roleLabel: 'Tekton sidecar',
      },
      {
        path: ['steps'],
        role: 'init',
        extraFields: TEKTON_STEP_FIELDS,
        optionalFields: ['name'],
        namePrefix: 'step-',
        roleLabel: 'Tekton step',
      },
    ],
    // a TaskRun's podTemplate adds volumes to its pod; what runs a Task, a Pipeline or a
    // PipelineRun's tasks (and their podTemplates) is elsewhere (pkg/apis/pipeline/pod/template.go)
    volumes: podTemplateVolumes
      ? [{ path: ['volumes'] }, { path: podTemplateVolumes, fromRoot: true }]
      : [{ path: ['volumes'] }],
    volumesElsewhere: podTemplateVolumes === undefined,
    // an embedded task's labels and annotations (PipelineTask.taskSpec, EmbeddedTask.metadata)
    metadata: ['metadata'],
    defaults: [{ path: ['stepTemplate'], extraFields: ['computeResources'] }],
  };
}

/** Fields of an OpenKruise SidecarContainer beside the Container's (openkruise/kruise apis/apps/v1alpha1/sidecarset_types.go). */
const SIDECAR_CONTAINER_FIELDS = [
  'podInjectPolicy',
  'upgradeStrategy',
  'shareVolumePolicy',
  'shareVolumeDevicePolicy',
  'transferEnv',
  'resourcesPolicy',
];

const ARGO_DOCS = 'https://argo-workflows.readthedocs.io/en/latest/fields/#template';
const TEKTON_DOCS = 'https://tekton.dev/docs/pipelines/tasks/';

export const CUSTOM_POD_KINDS: readonly CustomPodKind[] = [
  {
    group: 'argoproj.io',
    kinds: ['Workflow', 'WorkflowTemplate', 'ClusterWorkflowTemplate'],
    sites: argoTemplates(['spec']),
    completes: true,
    stopsSidecars: true,
    injects: 'argo',
    docs: ARGO_DOCS,
  },
  {
    group: 'argoproj.io',
    kinds: ['CronWorkflow'],
    sites: argoTemplates(['spec', 'workflowSpec']),
    completes: true,
    stopsSidecars: true,
    injects: 'argo',
    docs: ARGO_DOCS,
  },
  {
    group: 'tekton.dev',
    kinds: ['Task', 'ClusterTask'],
    sites: [tektonTask(['spec'])],
    completes: true,
    stopsSidecars: true,
    injects: 'tekton',
    docs: TEKTON_DOCS,
  },
  {
    group: 'tekton.dev',
    kinds: ['TaskRun'],
    sites: [tektonTask(['spec', 'taskSpec'], ['spec', 'podTemplate', 'volumes'])],
    completes: true,
    stopsSidecars: true,
    injects: 'tekton',
    docs: TEKTON_DOCS,
  },
  {
    // each pipeline task with an embedded taskSpec runs its own pod (tasks and finally)
    group: 'tekton.dev',
    kinds: ['Pipeline'],
    sites: [tektonTask(['spec', 'tasks', '[]', 'taskSpec']), tektonTask(['spec', 'finally', '[]', 'taskSpec'])],
    completes: true,
    stopsSidecars: true,
    injects: 'tekton',
    docs: 'https://tekton.dev/docs/pipelines/pipelines/',
  },
  {
    group: 'tekton.dev',
    kinds: ['PipelineRun'],
    sites: [
      tektonTask(['spec', 'pipelineSpec', 'tasks', '[]', 'taskSpec']),
      tektonTask(['spec', 'pipelineSpec', 'finally', '[]', 'taskSpec']),
    ],
    completes: true,
    stopsSidecars: true,
    injects: 'tekton',
    docs: 'https://tekton.dev/docs/pipelines/pipelineruns/',
  },
  {
    // argo-rollouts pkg/apis/rollouts/v1alpha1/types.go: RolloutSpec.Template corev1.PodTemplateSpec
    group: 'argoproj.io',
    kinds: ['Rollout'],
    sites: [{ path: ['spec', 'template'], shape: 'template' }],
    docs: 'https://argo-rollouts.readthedocs.io/en/stable/features/specification/',
  },
  {
    // knative/serving pkg/apis/serving/v1: ServiceSpec/ConfigurationSpec.Template RevisionTemplateSpec,
    // whose spec is a RevisionSpec: a PodSpec inline plus these fields
    group: 'serving.knative.dev',
    kinds: ['Service', 'Configuration'],
    sites: [{ path: ['spec', 'template'], shape: 'template' }],
    extraSpecFields: ['containerConcurrency', 'timeoutSeconds', 'responseStartTimeoutSeconds', 'idleTimeoutSeconds'],
    optionalContainerFields: ['name'],
    docs: 'https://knative.dev/docs/serving/reference/serving-api/',
  },
  {
    group: 'serving.knative.dev',
    kinds: ['Revision'],
    sites: [{ path: [], shape: 'template' }],
    extraSpecFields: ['containerConcurrency', 'timeoutSeconds', 'responseStartTimeoutSeconds', 'idleTimeoutSeconds'],
    optionalContainerFields: ['name'],
    docs: 'https://knative.dev/docs/serving/reference/serving-api/',
  },
  {
    // keda pkg/apis/keda/v1alpha1/scaledjob_types.go: JobTargetRef *batchv1.JobSpec
    group: 'keda.sh',
    kinds: ['ScaledJob'],
    sites: [{ path: ['spec', 'jobTargetRef', 'template'], shape: 'template' }],
    completes: true,
    docs: 'https://keda.sh/docs/latest/reference/scaledjob-spec/',
  },
  {
    // openkruise apis/apps: CloneSetSpec, StatefulSetSpec, DaemonSetSpec .Template corev1.PodTemplateSpec
    group: 'apps.kruise.io',
    kinds: ['CloneSet', 'StatefulSet', 'DaemonSet'],
    sites: [{ path: ['spec', 'template'], shape: 'template' }],
    docs: 'https://openkruise.io/docs/user-manuals/cloneset',
  },
  {
    // no pod of its own: its containers are injected into the pods it selects (model/sidecar-sets.ts);
    // read here as a partial pod so that what it writes is schema-checked and drawn, nothing required
    group: 'apps.kruise.io',
    kinds: ['SidecarSet'],
    sites: [
      {
        path: ['spec'],
        shape: 'assembled',
        containers: [
          { path: ['initContainers'], role: 'init', extraFields: SIDECAR_CONTAINER_FIELDS },
          { path: ['containers'], role: 'regular', extraFields: SIDECAR_CONTAINER_FIELDS },
        ],
        volumes: [{ path: ['volumes'] }],
        partial: true,
        volumesElsewhere: true,
      },
    ],
    docs: 'https://openkruise.io/docs/user-manuals/sidecarset',
  },
  {
    group: 'apps.kruise.io',
    kinds: ['BroadcastJob'],
    sites: [{ path: ['spec', 'template'], shape: 'template' }],
    completes: true,
    docs: 'https://openkruise.io/docs/user-manuals/broadcastjob',
  },
  {
    // kubeflow training-operator: spec.<x>ReplicaSpecs.<Role>.template, one pod per role
    group: 'kubeflow.org',
    kinds: ['PyTorchJob', 'TFJob', 'MPIJob', 'XGBoostJob', 'PaddleJob', 'JAXJob'],
    sites: [
      { path: ['spec', 'pytorchReplicaSpecs', '*', 'template'], shape: 'template' },
      { path: ['spec', 'tfReplicaSpecs', '*', 'template'], shape: 'template' },
      { path: ['spec', 'mpiReplicaSpecs', '*', 'template'], shape: 'template' },
      { path: ['spec', 'xgbReplicaSpecs', '*', 'template'], shape: 'template' },
      { path: ['spec', 'paddleReplicaSpecs', '*', 'template'], shape: 'template' },
      { path: ['spec', 'jaxReplicaSpecs', '*', 'template'], shape: 'template' },
    ],
    completes: true,
    docs: 'https://www.kubeflow.org/docs/components/trainer/legacy-v1/',
  },
  {
    // flink-kubernetes-operator: pod templates are Pod objects merged into the operator's own
    group: 'flink.apache.org',
    kinds: ['FlinkDeployment'],
    sites: [
      { path: ['spec', 'podTemplate'], shape: 'pod' },
      { path: ['spec', 'jobManager', 'podTemplate'], shape: 'pod' },
      { path: ['spec', 'taskManager', 'podTemplate'], shape: 'pod' },
    ],
    partial: true,
    docs: 'https://nightlies.apache.org/flink/flink-kubernetes-operator-docs-main/docs/custom-resource/pod-template/',
  },
  {
    // crossplane apis/pkg/v1beta1: DeploymentRuntimeConfig.spec.deploymentTemplate, merged into the provider's
    group: 'pkg.crossplane.io',
    kinds: ['DeploymentRuntimeConfig'],
    sites: [{ path: ['spec', 'deploymentTemplate', 'spec', 'template'], shape: 'template' }],
    partial: true,
    docs: 'https://docs.crossplane.io/latest/concepts/providers/#runtime-configuration',
  },
];

/**
 * Kinds a project adds in its `.sidecar-pods.yaml` (`customResources`), by the config file that
 * names them. The pod builder reads them beside the table; the editor and the CLI register what
 * each config file they read says. Kinds of every config read so far count (a kind is named by
 * its apiVersion, which one project does not share with another by accident).
 */
const configured = new Map<string, readonly CustomPodKind[]>();
let configuredGeneration = 0;

/** Sets the kinds a config file (`source`, its path) adds; an empty list removes them. */
export function setConfiguredKinds(source: string, kinds: readonly CustomPodKind[]): void {
  const before = configured.get(source) ?? [];
  if (JSON.stringify(before) === JSON.stringify(kinds)) return;
  if (kinds.length === 0) configured.delete(source);
  else configured.set(source, kinds);
  configuredGeneration++;
}

/** Changes whenever the configured kinds change: models built before then may be missing pods. */
export function kindsGeneration(): number {
  return configuredGeneration;
}

function allKinds(): readonly CustomPodKind[] {
  return configured.size === 0 ? CUSTOM_POD_KINDS : [...CUSTOM_POD_KINDS, ...[...configured.values()].flat()];
}

/** Whether a kind name is one of the table's or a configured one: the kind-line reading that decides what to parse. */
export function isCustomPodKindName(kind: string): boolean {
  return allKinds().some((k) => k.kinds.includes(kind));
}

/** The table's entry for an object's apiVersion and kind, if it carries pods. */
export function customPodKind(apiVersion: string | undefined, kind: string | undefined): CustomPodKind | undefined {
  if (apiVersion === undefined || kind === undefined) return undefined;
  const slash = apiVersion.indexOf('/');
  const group = slash > 0 ? apiVersion.slice(0, slash) : '';
  return allKinds().find(
    (k) => k.kinds.includes(kind) && (k.apiVersion !== undefined ? k.apiVersion === apiVersion : k.group === group),
  );
}

/**
 * A configured pod path (`spec.template.spec`, `spec.workers[].template.spec`: a PodSpec, `[]` for
 * every item of a list) as a site: a PodSpec under `spec` of a map is read with that map's
 * `metadata` as a PodTemplateSpec; any other one as a PodSpec without metadata.
 */
export function podSpecSite(path: string): PodSite {
  const segments = path.split('.').flatMap((seg) => (seg.endsWith('[]') ? [seg.slice(0, -2), '[]'] : [seg]));
  return segments[segments.length - 1] === 'spec'
    ? { path: segments.slice(0, -1), shape: 'template' }
    : { path: segments, shape: 'spec' };
}

/** A pod that runs to completion (a Job's, a ScaledJob's): a helper that never exits keeps it from ending. */
export function runsToCompletion(pod: { kind: string; custom?: { completes: boolean } }): boolean {
  return pod.custom ? pod.custom.completes : pod.kind === 'Job' || pod.kind === 'CronJob';
}

/**
 * A pod written only in part: a kustomize patch (the settings name the kustomization), a pod
 * template a controller completes (Flink's), or a pod a spec patch changes in ways not read
 * (model/spec-patch.ts). No field is required of it, and no rule that needs the whole pod runs on it.
 */
export function isPartialPod(
  pod: { custom?: { partial: boolean }; specPatch?: { opaque: boolean } },
  settings: { patchOf?: string },
): boolean {
  return settings.patchOf !== undefined || pod.custom?.partial === true || pod.specPatch?.opaque === true;
}
