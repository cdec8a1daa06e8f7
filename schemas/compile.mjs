#!/usr/bin/env node
// Precompiles the generated schemas into standalone Ajv validators (CommonJS, git-ignored, rebuilt
// by every build):
// - schemas/kubernetes-pod-kinds.schema.json -> server/src/schema/generated/validators.js, one
//   validate function per pod kind (exports.Pod, exports.Deployment, ...);
// - schemas/kubernetes-object-kinds.schema.json -> server/src/schema/generated/object-validators.js,
//   one per other built-in kind (exports.core_v1_Service, ...) and `apiKinds` (apiVersion -> kind
//   -> export). A module of its own, loaded the first time such an object is validated: a file of
//   pods never pays for it.
//
//   node schemas/compile.mjs
//
// Each module also exports small tables the error formatter needs without loading the whole
// schema: `roots` (export -> short definition id), `shapes` (see below) and `patternHints`
// (pattern -> words for messages).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import Ajv from 'ajv';
import standaloneCode from 'ajv/dist/standalone/index.js';
import { PATTERN_HINTS } from './generate.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const GENERATED = join(here, '..', 'server', 'src', 'schema', 'generated');

// Only validation keywords reach Ajv: descriptions and x-* annotations would otherwise be
// serialized into the code wherever an error refers to its schema (enum lists, for example).
function strip(node) {
  if (Array.isArray(node)) return node.map(strip);
  if (node === null || typeof node !== 'object') return node;
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'description' || key === 'title' || key === 'format' || key === '$comment' || key.startsWith('x-'))
      continue;
    // Property names are data, not keywords: keep them all.
    out[key] =
      key === 'properties' ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, strip(v)])) : strip(value);
  }
  return out;
}

// Definitions are renamed to short ids (d0, d1, ...): the long io.k8s.* names would otherwise
// repeat in every serialized $ref and in the tables below.
function compile(schemaFile, outFile, id, tables) {
  const started = performance.now();
  const schema = JSON.parse(readFileSync(join(here, schemaFile), 'utf8'));
  const OUT = join(GENERATED, outFile);
  const ID = id;
  const names = Object.keys(schema.definitions);
  const shortName = new Map(names.map((name, i) => [name, `d${i}`]));
  const shorten = (ref) => {
    const name = ref.replace('#/definitions/', '');
    if (!shortName.has(name)) throw new Error(`compile.mjs: dangling $ref ${ref}`);
    return `#/definitions/${shortName.get(name)}`;
  };
  const renameRefs = (node) => {
    if (Array.isArray(node)) return node.map(renameRefs);
    if (node === null || typeof node !== 'object') return node;
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, k === '$ref' ? shorten(v) : renameRefs(v)]));
  };
  const ajvSchema = {
    $id: ID,
    definitions: Object.fromEntries(
      names.map((name) => [shortName.get(name), renameRefs(strip(schema.definitions[name]))]),
    ),
  };
  const ajv = new Ajv({
    allErrors: true,
    strict: false,
    // Formats (int32, int64, date-time, int-or-string) are documentation here: the API server's
    // own checks differ, and timestamps arrive as strings in any shape.
    validateFormats: false,
    code: { source: true, lines: false, optimize: true },
    inlineRefs: false,
    // Messages are written by server/src/schema/validate.ts from keyword + params.
    messages: false,
  });
  ajv.addSchema(ajvSchema);

  const exportsMap = {};
  for (const [kind, ref] of Object.entries(tables.refs(schema))) exportsMap[kind] = ID + shorten(ref);
  let code = standaloneCode(ajv, exportsMap);

  // Two size cuts on the generated text (about a fifth of the minified size). Both are safe if a
  // future Ajv changes its output: a pattern that no longer matches just leaves the code bigger.
  // - schemaPath: validate.ts never reads it (definitions are compiled one per function, so the
  //   path is relative to a definition anyway).
  // - the "append to vErrors" statement, repeated after every check, becomes one helper call.
  code = code.replace(/schemaPath:"[^"]*",/g, '');
  code = code.replace(
    /if\(vErrors === null\)\{vErrors = \[(err\d+)\];\}else \{vErrors\.push\(\1\);\}/g,
    'vErrors = pushError(vErrors, $1);',
  );
  code +=
    '\nfunction pushError(list, error) {\n  if (list === null) return [error];\n  list.push(error);\n  return list;\n}\n';

  // shapes: short id -> { property: short id of the object it holds (directly, as list items or
  // behind the nullable anyOf), or 0 for anything else }. Ajv's schemaPath is relative to each
  // definition, so validate.ts walks this table along an error's instancePath to learn which
  // definition an unknown key belongs to and which keys would have been known there.
  const childRef = (prop) => {
    const ref =
      prop.$ref ??
      prop.anyOf?.find((s) => s.$ref)?.$ref ??
      prop.items?.$ref ??
      prop.items?.anyOf?.find((s) => s.$ref)?.$ref;
    return ref ? shorten(ref).replace('#/definitions/', '') : 0;
  };
  const shapes = {};
  for (const [name, def] of Object.entries(schema.definitions)) {
    if (def.properties)
      shapes[shortName.get(name)] = Object.fromEntries(
        Object.entries(def.properties).map(([k, v]) => [k, childRef(v)]),
      );
  }
  const refs = tables.refs(schema);
  const roots = Object.fromEntries(
    Object.keys(exportsMap).map((kind) => [kind, shortName.get(refs[kind].replace('#/definitions/', ''))]),
  );
  code =
    `/* Generated by schemas/compile.mjs from schemas/${schemaFile}. Do not edit. */\n` +
    '/* Derived from the Kubernetes OpenAPI definitions (Apache-2.0): see schemas/upstream/ATTRIBUTION.md. */\n' +
    '/* eslint-disable */\n' +
    code +
    '\nexports.roots = ' +
    JSON.stringify(roots) +
    ';\nexports.shapes = ' +
    JSON.stringify(shapes) +
    ';\nexports.patternHints = ' +
    JSON.stringify(PATTERN_HINTS) +
    ';\n' +
    (tables.extra ? tables.extra(schema) : '');

  mkdirSync(dirname(OUT), { recursive: true });
  // Unchanged output keeps its mtime, so watch mode does not rebuild for nothing.
  if (!existsSync(OUT) || readFileSync(OUT, 'utf8') !== code) writeFileSync(OUT, code);
  const ms = Math.round(performance.now() - started);
  process.stdout.write(`wrote ${OUT} (${Math.round(code.length / 1024)} KiB) in ${ms} ms\n`);
}

compile(
  'kubernetes-pod-kinds.schema.json',
  'validators.js',
  'https://sidecar-pods.invalid/kubernetes-pod-kinds.schema.json',
  {
    refs: (schema) => schema['x-pod-kinds'],
  },
);
compile(
  'kubernetes-object-kinds.schema.json',
  'object-validators.js',
  'https://sidecar-pods.invalid/kubernetes-object-kinds.schema.json',
  {
    refs: (schema) => Object.fromEntries(Object.entries(schema['x-object-kinds']).map(([id, k]) => [id, k.$ref])),
    extra: (schema) => {
      const apiKinds = {};
      for (const [id, k] of Object.entries(schema['x-object-kinds'])) (apiKinds[k.apiVersion] ??= {})[k.kind] = id;
      return 'exports.apiKinds = ' + JSON.stringify(apiKinds) + ';\n';
    },
  },
);
