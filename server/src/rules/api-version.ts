import type { PodKind } from '../model/types';
import type { PodRule } from './types';

const CURRENT: Record<PodKind, string> = {
  Pod: 'v1',
  PodTemplate: 'v1',
  ReplicationController: 'v1',
  Deployment: 'apps/v1',
  StatefulSet: 'apps/v1',
  DaemonSet: 'apps/v1',
  ReplicaSet: 'apps/v1',
  Job: 'batch/v1',
  CronJob: 'batch/v1',
};

/**
 * API versions that served a kind once, with the minor version that stopped serving them
 * (Kubernetes deprecated API migration guide).
 */
const REMOVED: Partial<Record<PodKind, Record<string, number>>> = {
  Deployment: { 'extensions/v1beta1': 16, 'apps/v1beta1': 16, 'apps/v1beta2': 16 },
  StatefulSet: { 'apps/v1beta1': 16, 'apps/v1beta2': 16 },
  DaemonSet: { 'extensions/v1beta1': 16, 'apps/v1beta2': 16 },
  ReplicaSet: { 'extensions/v1beta1': 16, 'apps/v1beta1': 16, 'apps/v1beta2': 16 },
  CronJob: { 'batch/v1beta1': 25, 'batch/v2alpha1': 21 },
};

/** The first minor version that served the current apiVersion, where it matters. */
const CURRENT_SINCE: Partial<Record<PodKind, number>> = { CronJob: 21 };

export const apiVersion: PodRule = {
  meta: {
    id: 'api-version',
    description: 'A pod-bearing kind with a wrong or removed apiVersion.',
    defaultSeverity: 'error',
    fixable: false,
    docs: 'https://kubernetes.io/docs/reference/using-api/deprecation-guide/',
  },
  scope: 'pod',
  check(pod, ctx) {
    const current = CURRENT[pod.kind];
    const written = pod.apiVersion;
    if (!written) {
      ctx.report({
        message: `apiVersion is missing; ${pod.kind} is served as "${current}"`,
        range: pod.kindRange,
        data: { apiVersion: current },
      });
      return;
    }
    if (written.value === current) {
      const since = CURRENT_SINCE[pod.kind];
      if (since !== undefined && ctx.minor < since) {
        ctx.report({
          message: `${pod.kind} ${current} is served from Kubernetes 1.${since}; the target 1.${ctx.minor} does not know it`,
          range: written.range,
          severity: 'error',
        });
      }
      return;
    }
    const data = { apiVersion: current };
    const removedIn = REMOVED[pod.kind]?.[written.value];
    if (removedIn === undefined) {
      ctx.report({
        message: `${pod.kind} is served as apiVersion "${current}", not "${written.value}"`,
        range: written.range,
        data,
      });
    } else if (ctx.minor >= removedIn) {
      ctx.report({
        message: `${pod.kind} ${written.value} was removed in Kubernetes 1.${removedIn} (target 1.${ctx.minor}); use "${current}"`,
        range: written.range,
        data,
      });
    } else {
      ctx.report({
        message: `${pod.kind} ${written.value} is deprecated and removed in Kubernetes 1.${removedIn}; use "${current}"`,
        range: written.range,
        severity: 'warning',
        data,
      });
    }
  },
};
