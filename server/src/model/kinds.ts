// The custom resources that carry a pod (../shared/specs/workloads.md, section 1): one table, data
// rather than code in each rule. Each entry says where its pods are and what differs; the pod
// builder reads it, and every rule, hover and the diagram then see an ordinary pod.

/** Where a pod of a custom resource is written, from the object's root. */
export interface PodSite {
  /**
   * The path of the object that holds `metadata` and `spec` of the pod (a PodTemplateSpec, or a
   * Pod object for `shape: 'pod'`); `*` stands for every key of a map (Kubeflow's replica roles).
   */
  path: readonly string[];
  /** A PodTemplateSpec (`metadata`, `spec`) or a whole Pod object (Flink's pod templates). */
  shape: 'template' | 'pod';
}

export interface CustomPodKind {
  /** The API group (`argoproj.io`); any version of it. */
  group: string;
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
  /** Where its own docs are. */
  docs: string;
}

export const CUSTOM_POD_KINDS: readonly CustomPodKind[] = [
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

/** Every kind name of the table, for the kind-line reading that decides what to parse. */
export const CUSTOM_POD_KIND_NAMES: ReadonlySet<string> = new Set(CUSTOM_POD_KINDS.flatMap((k) => k.kinds));

/** The table's entry for an object's apiVersion and kind, if it carries pods. */
export function customPodKind(apiVersion: string | undefined, kind: string | undefined): CustomPodKind | undefined {
  if (apiVersion === undefined || kind === undefined) return undefined;
  const slash = apiVersion.indexOf('/');
  const group = slash > 0 ? apiVersion.slice(0, slash) : '';
  return CUSTOM_POD_KINDS.find((k) => k.group === group && k.kinds.includes(kind));
}

/** A pod that runs to completion (a Job's, a ScaledJob's): a helper that never exits keeps it from ending. */
export function runsToCompletion(pod: { kind: string; custom?: { completes: boolean } }): boolean {
  return pod.custom ? pod.custom.completes : pod.kind === 'Job' || pod.kind === 'CronJob';
}

/**
 * A pod written only in part: a kustomize patch (the settings name the kustomization) or a pod
 * template a controller completes (Flink's). No field is required of it, and no rule that needs
 * the whole pod runs on it.
 */
export function isPartialPod(pod: { custom?: { partial: boolean } }, settings: { patchOf?: string }): boolean {
  return settings.patchOf !== undefined || pod.custom?.partial === true;
}
