import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import {
  INJECTION_SNIPPETS,
  SIDECAR_SNIPPETS,
  sidecarItem,
  volumeLines,
  vsCodeSnippets,
} from '../../snippets/catalogue';
import { ModelCache } from '../../server/src/model/file-model';
import { INJECTOR_KEYS, injectionRequests, knownSidecar } from '../../server/src/model/sidecars';
import { expandSnippet } from '../support/completion';
import { lintText, REPO } from '../support/lint';

interface Snippet {
  prefix: string | string[];
  description: string;
  body: string[];
}

/** What VS Code inserts when the user accepts every default. */
function expand(body: string[]): string {
  return expandSnippet(body.join('\n'));
}

const snippets = JSON.parse(readFileSync(join(REPO, 'snippets', 'sidecars.json'), 'utf8')) as Record<string, Snippet>;

const indent = (lines: string[], by: number): string => lines.map((l) => ' '.repeat(by) + l).join('\n');

describe('snippets', () => {
  it('are contributed to YAML by package.json', () => {
    const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8'));
    assert.deepEqual(pkg.contributes.snippets, [{ language: 'yaml', path: './snippets/sidecars.json' }]);
  });

  it('snippets/sidecars.json is what the catalogue renders (node snippets/generate.mjs)', () => {
    assert.deepEqual(snippets, vsCodeSnippets());
    // two forms of every sidecar, one snippet per injector, three workloads
    assert.equal(Object.keys(snippets).length, SIDECAR_SNIPPETS.length * 2 + INJECTION_SNIPPETS.length + 3);
  });

  it('prefixes are unique', () => {
    const prefixes = Object.values(snippets).flatMap((s) => s.prefix);
    assert.equal(new Set(prefixes).size, prefixes.length);
  });

  for (const [name, snippet] of Object.entries(snippets)) {
    it(`"${name}" pins its images and asks for memory`, () => {
      const text = expand(snippet.body);
      assert.ok(snippet.description.length > 20);
      if (!/image: /.test(text)) return; // an injection: labels or annotations only
      for (const image of text.matchAll(/image: (\S+)/g)) assert.match(image[1]!, /:[\w.-]+$/, `unpinned ${image[1]}`);
      assert.match(text, /memory: \S+/);
    });
  }

  for (const [name, snippet] of Object.entries(snippets)) {
    if (!snippet.body[0]!.startsWith('apiVersion:')) continue;
    it(`"${name}" inserts a workload that raises nothing`, () => {
      const text = expand(snippet.body);
      assert.deepEqual(
        lintText(text).map((f) => `${f.line}: ${f.rule}: ${f.message}`),
        [],
      );
    });
  }

  for (const sidecar of SIDECAR_SNIPPETS) {
    it(`${sidecar.title}: both forms are valid in a pod that has its volumes, and its image is known`, () => {
      const volumes = sidecar.volumes.map((v) => indent(volumeLines(v), 4)).join('\n');
      const appMounts = sidecar.volumes
        .filter((v) => v.app)
        .map((v) => `        - name: ${v.name}\n          mountPath: ${v.app!.mountPath}`);
      const app = `    - name: app\n      image: ghcr.io/example/app:1.0.0\n      resources:\n        requests:\n          memory: 64Mi\n${appMounts.length > 0 ? `      volumeMounts:\n${appMounts.join('\n')}\n` : ''}`;
      for (const form of ['native', 'classic'] as const) {
        const item = indent(expandSnippet(sidecarItem(sidecar, form).join('\n')).split('\n'), 4);
        const lists =
          form === 'native' ? `  initContainers:\n${item}\n  containers:\n${app}` : `  containers:\n${app}${item}\n`;
        const pod = `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n${lists}${volumes ? `  volumes:\n${volumes}\n` : ''}`;
        assert.deepEqual(
          lintText(pod)
            // the classic form is valid; classic-sidecar only advises the native one
            .filter((f) => form === 'native' || f.rule !== 'classic-sidecar')
            .map((f) => `${f.line}: ${f.rule}: ${f.message}`),
          [],
          pod,
        );
        const model = new ModelCache().parseFile(pod).documents[0]!.model.pods[0]!;
        const name = expandSnippet(sidecar.container[0]!).replace(/^name: /, '');
        const container = model.containers.find((c) => c.name?.value === name)!;
        assert.equal(container.role, form === 'native' ? 'sidecar' : 'regular');
        // busybox is no sidecar by itself (it is the main container of many Jobs)
        if (sidecar.id !== 'log-tailer') assert.equal(knownSidecar(container)?.id, sidecar.id);
      }
    });
  }

  for (const injection of INJECTION_SNIPPETS) {
    it(`${injection.title}: the keys are known to completion and ask for the injector`, () => {
      const entries = expandSnippet(injection.entries.join('\n')).split('\n');
      for (const entry of entries) {
        const key = entry.slice(0, entry.indexOf(':'));
        const known = INJECTOR_KEYS.find(
          (k) => k.field === injection.field && (k.key === key || (k.key.endsWith('-') && key.startsWith(k.key))),
        );
        assert.ok(known, `${key} is not in INJECTOR_KEYS`);
        assert.equal(known.injector, injection.injector);
      }
      const pod = `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  ${injection.field}:\n${indent(entries, 4)}\nspec:\n  containers:\n    - name: app\n      image: ghcr.io/example/app:1.0.0\n      resources: { requests: { memory: 64Mi } }\n      ports:\n        - containerPort: 8080\n`;
      assert.ok(parseDocument(pod).errors.length === 0);
      const model = new ModelCache().parseFile(pod).documents[0]!.model.pods[0]!;
      assert.deepEqual(
        injectionRequests(model).map((r) => r.injector.id),
        [injection.injector],
      );
      assert.deepEqual(
        lintText(pod).filter((f) => f.severity !== 'info'),
        [],
      );
    });
  }
});
