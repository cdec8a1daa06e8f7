// Typed, lazy access to the build's generated artifacts:
// - ./generated/validators.js: written by `node schemas/compile.mjs` (git-ignored, rebuilt by
//   every build); esbuild bundles it like any other module.
// - schemas/kubernetes-pod-kinds.schema.json: committed output of `node schemas/generate.mjs`,
//   only needed for field documentation (hovers).
// Both are loaded on first use with require(), so a server that never validates or hovers a
// pod never pays for parsing them; esbuild turns these static requires into lazy module inits.
import type { PodKind } from '../model/types';

export interface AjvError {
  instancePath: string;
  /** Removed by schemas/compile.mjs to keep the code small. */
  schemaPath?: string;
  keyword: string;
  params: Record<string, unknown>;
}

export interface ValidateFunction {
  (data: unknown): boolean;
  errors?: AjvError[] | null;
}

export type GeneratedValidators = Record<PodKind, ValidateFunction> & {
  /** kind -> short id of its definition */
  roots: Record<PodKind, string>;
  /** short definition id -> property -> short id of the object definition it holds (0: none) */
  shapes: Record<string, Record<string, string | 0>>;
  /** pattern -> words used in messages */
  patternHints: Record<string, string>;
};

export interface JsonSchemaNode {
  $ref?: string;
  anyOf?: JsonSchemaNode[];
  type?: string | string[];
  title?: string;
  description?: string;
  properties?: Record<string, JsonSchemaNode>;
  additionalProperties?: JsonSchemaNode | boolean;
  items?: JsonSchemaNode;
  required?: string[];
  enum?: unknown[];
  pattern?: string;
  format?: string;
}

export interface PodKindsSchema {
  'x-pod-kinds': Record<PodKind, string>;
  definitions: Record<string, JsonSchemaNode>;
}

let validators: GeneratedValidators | undefined;
let schemaJson: PodKindsSchema | undefined;

export function loadValidators(): GeneratedValidators {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  validators ??= require('./generated/validators.js') as GeneratedValidators;
  return validators;
}

export function loadSchemaJson(): PodKindsSchema {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  schemaJson ??= require('../../../schemas/kubernetes-pod-kinds.schema.json') as PodKindsSchema;
  return schemaJson;
}
