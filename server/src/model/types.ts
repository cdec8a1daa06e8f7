import type { Document, YAMLMap } from 'yaml';

/** Offsets into a text, end exclusive. Document-relative inside a DocumentModel, file-absolute in findings. */
export interface Range {
  start: number;
  end: number;
}

/**
 * Which part of a big List a document model is (see split.ts): one item parsed and checked on its
 * own, or the rest of the List (`apiVersion`, `kind`, `items:`...).
 */
export type ListPart = 'list-item' | 'list-rest';

export const POD_KINDS = [
  'Pod',
  'PodTemplate',
  'ReplicationController',
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'Job',
  'CronJob',
] as const;
export type PodKind = (typeof POD_KINDS)[number];

export function isPodKind(kind: unknown): kind is PodKind {
  return typeof kind === 'string' && (POD_KINDS as readonly string[]).includes(kind);
}

/** A scalar as written, with where it was written. */
export interface Located<T> {
  value: T;
  range: Range;
}

export type ContainerRole = 'init' | 'sidecar' | 'regular' | 'ephemeral';
export type ContainerListKey = 'initContainers' | 'containers' | 'ephemeralContainers';

export interface PortModel {
  containerPort?: Located<number>;
  hostPort?: Located<number>;
  /** Upper-case as the API server compares it; TCP when unset. */
  protocol: string;
  name?: Located<string>;
  range: Range;
}

export interface MountModel {
  /** volumeMounts or volumeDevices */
  list: 'volumeMounts' | 'volumeDevices';
  name?: Located<string>;
  /** mountPath, or devicePath for a device */
  path?: Located<string>;
  readOnly: boolean;
  /** `readOnly` is a placeholder (`readOnly: ${READ_ONLY}`): whether it is, is known once it is filled in. */
  readOnlyPlaceholder?: true;
  range: Range;
}

export interface ContainerModel {
  role: ContainerRole;
  list: ContainerListKey;
  /** Position in its list. */
  index: number;
  name?: Located<string>;
  image?: Located<string>;
  restartPolicy?: Located<string>;
  ports: PortModel[];
  mounts: MountModel[];
  /** Path from the document root to the container's map. */
  path: (string | number)[];
  /** The name the cluster gives it when not the one written (Tekton's `step-<name>`, Argo's `main`). */
  clusterName?: string;
  /** What its kind calls it when not a PodSpec's container (`Tekton step`, `Argo sidecar`). */
  roleLabel?: string;
  /** Where it is written when not in a PodSpec's list (a Tekton Task's `steps`, at its index there). */
  writtenIn?: { list: string; index: number };
  /**
   * Mounts its controller copies into it from another container (an Argo sidecar's or init
   * container's `mirrorVolumeMounts: true` copies the main container's), apart from `mounts`:
   * they are written there, so a rule that points at or fixes a mount reads `mounts`, and what the
   * container sees is both.
   */
  mirrored?: { from: ContainerModel; flag: Range; mounts: MountModel[] };
  node: YAMLMap;
  range: Range;
}

export interface VolumeModel {
  /** Position in `volumes`, or in `volumeClaimTemplates` for a StatefulSet's claim. */
  index: number;
  name?: Located<string>;
  /** The volume source key (emptyDir, configMap, hostPath...), `volumeClaimTemplate` for a StatefulSet's claim; undefined when none is set. */
  source?: string;
  /** Path from the document root to the volume's map (a claim template's for a claim). */
  path: (string | number)[];
  /** Declared for several pods at once (an Argo WorkflowSpec's volumes): one pod not mounting it says nothing. */
  shared?: true;
  node: YAMLMap;
  range: Range;
}

/**
 * How a pod of a custom resource is read with a built-in kind's schema: the object path
 * `objectPrefix` (its PodTemplateSpec or Pod object) is the schema's `schemaPrefix` (`template` of
 * a PodTemplate, or the root of a Pod).
 */
export interface SchemaView {
  kind: PodKind;
  objectPrefix: readonly (string | number)[];
  schemaPrefix: readonly (string | number)[];
  /**
   * For a pod its controller assembles from parts (model/kinds.ts AssembledSite): each part of
   * the object (from its root) and where it sits in the schema's object; these win over the
   * prefixes. The schema rule validates an object made of these parts only.
   */
  parts?: readonly SchemaPart[];
}

export interface SchemaPart {
  objectPath: readonly (string | number)[];
  schemaPath: readonly (string | number)[];
  /** Fields of the kind's own beside the schema's at this part (not unknown fields). */
  extraFields?: readonly string[];
  /** Fields the schema requires here that the controller fills in; `'*'` for all. */
  optionalFields?: readonly string[];
  /** Also validated once for every pod that shares it: report it once. */
  shared?: true;
}

/** The sidecar injectors the product knows (model/sidecars.ts INJECTORS), controllers that add containers included. */
export type InjectorId = 'istio' | 'linkerd' | 'dapr' | 'vault' | 'otel' | 'argo' | 'tekton' | 'kruise';

/** What a custom resource's table entry says of its pods (model/kinds.ts). */
export interface CustomPodTraits {
  group: string;
  completes: boolean;
  partial: boolean;
  extraSpecFields: readonly string[];
  optionalContainerFields: readonly string[];
  stopsSidecars: boolean;
  /** Volumes may be added where the file does not show (the podTemplate of a Tekton TaskRun that runs a Task). */
  volumesElsewhere?: true;
  injects?: InjectorId;
  docs: string;
}

/**
 * What the pod spec patches a controller merges into a pod set (Argo's podSpecPatch), as far as
 * they can be read: see model/spec-patch.ts.
 */
export interface SpecPatch {
  /** A patch could not be read, or sets more than the fields below: the pod as written is only a part of it. */
  opaque: boolean;
  /** Volumes it adds or changes, by name. */
  volumes: ReadonlySet<string>;
  /** Volumes its containers mount (or use as devices). */
  mounted: ReadonlySet<string>;
  /** The fields it sets of each container, by the name the cluster gives the container. */
  containers: ReadonlyMap<string, ReadonlySet<string>>;
  /** Fields it sets of the pod spec itself (besides containers, initContainers and volumes). */
  fields: ReadonlySet<string>;
}

/** One pod spec wherever it lives in a document. */
export interface PodModel {
  /** The object's kind: a built-in pod kind, or a custom resource's (then `custom` is set). */
  kind: string;
  /** The schema that describes it: the kind's own for built-in kinds. */
  schema: SchemaView;
  custom?: CustomPodTraits;
  /** Path from the document root to the object of this kind (non-empty inside a List). */
  objectPath: (string | number)[];
  /** Path from the document root to the pod spec. */
  specPath: (string | number)[];
  apiVersion?: Located<string>;
  kindRange: Range;
  name?: Located<string>;
  spec?: YAMLMap;
  specRange: Range;
  containers: ContainerModel[];
  volumes: VolumeModel[];
  /** Metadata of the pod template (or of the Pod itself). */
  podMetadata?: YAMLMap;
  /** Metadata of the workload that owns the template (undefined for Pod). */
  workloadMetadata?: YAMLMap;
  /** What the pod spec patches its controller merges into it set (Argo's podSpecPatch; model/spec-patch.ts). */
  specPatch?: SpecPatch;
}

export interface SyntaxProblem {
  message: string;
  range: Range;
}

/**
 * One YAML document of a file, parsed once and cached by its text. Every range inside is relative to
 * the start of the document's text, so the same model serves the document wherever it moves.
 */
export interface DocumentModel {
  text: string;
  yaml: Document.Parsed;
  syntaxErrors: SyntaxProblem[];
  /** The document talks Kubernetes pods: syntax errors count, rules run. */
  isPodDocument: boolean;
  pods: PodModel[];
  /**
   * The plain value, built on each call and not kept: the schema check is its reader, its findings
   * are cached, and a second copy of every document would double the memory of a big file.
   * Not ok when the YAML cannot be turned into a value (alias bomb).
   */
  value(): { ok: true; value: unknown } | { ok: false; message: string };
  /**
   * Models that parse on first read (ModelCache's) drop their parse here, to parse again when read
   * next: a big file's first check keeps no syntax tree of the documents it has checked.
   */
  release?(): void;
}

/** A document inside a file: the cached model plus where it sits now. */
export interface PlacedDocument {
  index: number;
  offset: number;
  model: DocumentModel;
}

export interface FileModel {
  text: string;
  documents: PlacedDocument[];
  /**
   * Set when the file is a template with pods in it: no document is checked. `go`: a Helm/Go
   * template action; `placeholder`: another tool's placeholder where YAML expects a value
   * (`replicas: {{count}}`), so the text is not YAML until it is filled in.
   */
  template?: { range: Range; syntax: 'go' | 'placeholder' };
}
