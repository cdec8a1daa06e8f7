// Typed, lazy access to the build's generated artifacts:
// - ./generated/validators.js (pod kinds) and ./generated/object-validators.js (the other
//   built-in kinds): written by `node schemas/compile.mjs` (git-ignored, rebuilt by every build);
//   esbuild bundles them like any other module.
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

/** What the error formatter needs of a compiled module, whatever its kinds. */
export interface ValidatorTables {
  /** export (a kind) -> short id of its definition */
  roots: Record<string, string>;
  /** short definition id -> property -> short id of the object definition it holds (0: none) */
  shapes: Record<string, Record<string, string | 0>>;
  /** pattern -> words used in messages */
  patternHints: Record<string, string>;
}

export type GeneratedValidators = Record<PodKind, ValidateFunction> & ValidatorTables;

/** The other built-in kinds' validators (./generated/object-validators.js), one per export id. */
export type ObjectValidators = Record<string, ValidateFunction> &
  ValidatorTables & {
    /** apiVersion -> kind -> export id (`v1` -> `Service` -> `core_v1_Service`) */
    apiKinds: Record<string, Record<string, string>>;
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
let objectValidators: ObjectValidators | undefined;
let schemaJson: PodKindsSchema | undefined;

export function loadValidators(): GeneratedValidators {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  validators ??= require('./generated/validators.js') as GeneratedValidators;
  return validators;
}

/** Loaded the first time an object that is not a pod is validated: a file of pods never pays for it. */
export function loadObjectValidators(): ObjectValidators {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  objectValidators ??= require('./generated/object-validators.js') as ObjectValidators;
  return objectValidators;
}

export function loadSchemaJson(): PodKindsSchema {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  schemaJson ??= require('../../../schemas/kubernetes-pod-kinds.schema.json') as PodKindsSchema;
  return schemaJson;
}
