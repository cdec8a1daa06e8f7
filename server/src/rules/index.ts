// The rule registry: every rule module is listed here explicitly (a unit test checks that each file
// of this folder is registered and that ids match file names).
import { apiVersion } from './api-version';
import { duplicateContainerName } from './duplicate-container-name';
import { missingVolume } from './missing-volume';
import { portConflict } from './port-conflict';
import { schema } from './schema';
import { templated } from './templated';
import { yamlSyntax } from './yaml-syntax';
import { restartPolicyOnContainer } from './restart-policy-on-container';
import { initContainerProbe } from './init-container-probe';
import { jobSidecar } from './job-sidecar';
import { classicSidecar } from './classic-sidecar';
import { initOrder } from './init-order';
import type { Rule } from './types';

export const RULES: readonly Rule[] = [
  yamlSyntax,
  schema,
  apiVersion,
  duplicateContainerName,
  missingVolume,
  portConflict,
  templated,
  restartPolicyOnContainer,
  initContainerProbe,
  jobSidecar,
  classicSidecar,
  initOrder,
];

export const RULES_BY_ID: ReadonlyMap<string, Rule> = new Map(RULES.map((r) => [r.meta.id, r]));
