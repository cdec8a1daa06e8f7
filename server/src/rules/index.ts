// The rule registry: every rule module is listed here explicitly (a unit test checks that each file
// of this folder is registered and that ids match file names).
import { apiVersion } from './api-version';
import { duplicateContainerName } from './duplicate-container-name';
import { missingVolume } from './missing-volume';
import { portConflict } from './port-conflict';
import { schema } from './schema';
import { templated } from './templated';
import { yamlSyntax } from './yaml-syntax';
import { duplicateVolume } from './duplicate-volume';
import { unusedVolume } from './unused-volume';
import { duplicateMountPath } from './duplicate-mount-path';
import { sidecarMountReadonly } from './sidecar-mount-readonly';
import { writableHostPath } from './writable-host-path';
import { sensitiveHostPath } from './sensitive-host-path';
import { injectionAnnotationPlacement } from './injection-annotation-placement';
import { istioInjectAnnotation } from './istio-inject-annotation';
import { gracePeriodBudget } from './grace-period-budget';
import { imageTag } from './image-tag';
import { resources } from './resources';
import { duplicateEnv } from './duplicate-env';
import { privileged } from './privileged';
import { readinessProbe } from './readiness-probe';
import { initRestartPolicyValue } from './init-restart-policy-value';
import { nativeSidecarVersion } from './native-sidecar-version';
import { probeShape } from './probe-shape';
import { hostPortConflict } from './host-port-conflict';
import { injectedPortConflict } from './injected-port-conflict';
import { portName } from './port-name';
import { probePort } from './probe-port';
import { hostNetwork } from './host-network';
import { hostPid } from './host-pid';
import { hostIpc } from './host-ipc';
import { daprAppPort } from './dapr-app-port';
import { restartPolicyOnContainer } from './restart-policy-on-container';
import { initContainerProbe } from './init-container-probe';
import { jobSidecar } from './job-sidecar';
import { classicSidecar } from './classic-sidecar';
import { initOrder } from './init-order';
import { selectorMismatch } from './selector-mismatch';
import { serviceNoPods } from './service-no-pods';
import { serviceTargetPort } from './service-target-port';
import { missingReference } from './missing-reference';
import { missingKey } from './missing-key';
import { servicePortProtocol } from './service-port-protocol';
import { knativeContainer } from './knative-container';
import { kustomization } from './kustomization';
import type { Rule } from '../engine/types';

export const RULES: readonly Rule[] = [
  yamlSyntax,
  schema,
  apiVersion,
  selectorMismatch,
  knativeContainer,
  duplicateContainerName,
  missingVolume,
  portConflict,
  templated,
  kustomization,
  duplicateVolume,
  unusedVolume,
  duplicateMountPath,
  sidecarMountReadonly,
  writableHostPath,
  sensitiveHostPath,
  injectionAnnotationPlacement,
  istioInjectAnnotation,
  gracePeriodBudget,
  imageTag,
  resources,
  duplicateEnv,
  privileged,
  readinessProbe,
  initRestartPolicyValue,
  nativeSidecarVersion,
  probeShape,
  hostPortConflict,
  injectedPortConflict,
  portName,
  probePort,
  hostNetwork,
  hostPid,
  hostIpc,
  daprAppPort,
  restartPolicyOnContainer,
  initContainerProbe,
  jobSidecar,
  classicSidecar,
  initOrder,
  serviceNoPods,
  serviceTargetPort,
  servicePortProtocol,
  missingReference,
  missingKey,
];

export const RULES_BY_ID: ReadonlyMap<string, Rule> = new Map(RULES.map((r) => [r.meta.id, r]));
