import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lintText, REPO } from '../support/lint';

interface Snippet {
  prefix: string | string[];
  description: string;
  body: string[];
}

/** What VS Code inserts when the user accepts every default: `${1:x}` -> x, `$0` -> nothing. */
function expand(body: string[]): string {
  return body
    .join('\n')
    .replace(/\$\{\d+:([^}]*)\}/g, '$1')
    .replace(/\$\d+/g, '');
}

const snippets = JSON.parse(readFileSync(join(REPO, 'snippets', 'sidecars.json'), 'utf8')) as Record<string, Snippet>;

describe('snippets', () => {
  it('are contributed to YAML by package.json', () => {
    const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8'));
    assert.deepEqual(pkg.contributes.snippets, [{ language: 'yaml', path: './snippets/sidecars.json' }]);
    assert.ok(Object.keys(snippets).length >= 4);
  });

  for (const [name, snippet] of Object.entries(snippets)) {
    it(`"${name}" pins its images and asks for memory`, () => {
      const text = expand(snippet.body);
      for (const image of text.matchAll(/image: (\S+)/g)) assert.match(image[1]!, /:[\w.-]+$/, `unpinned ${image[1]}`);
      assert.match(text, /memory: \S+/);
      assert.ok(snippet.description.length > 20);
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

  it('the native sidecar item is valid inside initContainers', () => {
    const item = expand(snippets['Native sidecar container']!.body)
      .split('\n')
      .map((l) => (l ? `    ${l}` : l))
      .join('\n');
    const pod = `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  initContainers:\n${item}\n  containers:\n    - name: app\n      image: nginx:1.27\n      resources:\n        limits:\n          memory: 64Mi\n`;
    assert.deepEqual(lintText(pod), []);
  });
});
