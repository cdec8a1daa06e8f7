// The kustomization rule's quick fixes do what `kustomize edit fix` does: the fixed kustomization
// builds to the very same objects (checked with kubectl kustomize when it is on PATH), and a fix
// that could not keep that promise is not offered.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyEdits } from '../../server/src/fixes/edits';
import { findRenderer } from '../../server/src/workspace/render';
import { FIXTURES, lintText } from '../support/lint';

const KUBECTL = findRenderer('kubectl');

const DEPRECATED = `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namePrefix: prod-
bases:
  - ../base
# the labels every object gets
commonLabels:
  team: web
  tier: frontend
patchesStrategicMerge:
  - replicas.yaml
patchesJson6902:
  - target:
      group: apps
      version: v1
      kind: Deployment
      name: web
    path: image.yaml
imageTags:
  - name: ghcr.io/example/web
    newTag: 1.4.3
`;

function fixesOf(text: string, path: string) {
  return lintText(text, { kustomization: path })
    .filter((f) => f.rule === 'kustomization' && / is deprecated/.test(f.message))
    .map((f) => ({ line: f.line, message: f.message, fixes: f.fixes?.() ?? [] }));
}

describe('kustomization rule fixes', function () {
  this.timeout(60_000);
  let root: string;
  let overlay: string;
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'sp-kfix-'));
    cpSync(join(FIXTURES, 'kustomize', 'app', 'base'), join(root, 'base'), { recursive: true });
    overlay = join(root, 'overlay');
    cpSync(join(FIXTURES, 'kustomize', 'app', 'base'), overlay, { recursive: true });
    rmSync(join(overlay, 'deployment.yaml'));
    writeFileSync(
      join(overlay, 'replicas.yaml'),
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 3\n',
    );
    writeFileSync(
      join(overlay, 'image.yaml'),
      '- op: add\n  path: /metadata/annotations\n  value: {owner: web-team}\n',
    );
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('offers one fix per deprecated field, with the words kustomize prints', () => {
    const found = fixesOf(DEPRECATED, join(overlay, 'kustomization.yaml'));
    assert.deepEqual(
      found.map((f) => `${f.line}: ${f.message.split(':')[0]} ${f.fixes.map((x) => x.title).join()}`),
      [
        "4: 'bases' is deprecated Move 'bases' to 'resources'",
        "7: 'commonLabels' is deprecated Move 'commonLabels' to 'labels'",
        "10: 'patchesStrategicMerge' is deprecated Move 'patchesStrategicMerge' to 'patches'",
        "12: 'patchesJson6902' is deprecated Move 'patchesJson6902' to 'patches'",
        "19: 'imageTags' is deprecated Move 'imageTags' to 'images'",
      ],
    );
  });

  it('moves the entries as written, keeping the comment above', () => {
    const [, labels] = fixesOf(DEPRECATED, join(overlay, 'kustomization.yaml'));
    const fixed = applyEdits(DEPRECATED, labels!.fixes[0]!.edits);
    assert.ok(
      fixed.includes(
        '# the labels every object gets\nlabels:\n  - pairs:\n      team: web\n      tier: frontend\n    includeSelectors: true\npatchesStrategicMerge:',
      ),
      fixed,
    );
  });

  it('appends to a replacement that is there, and declines one written in flow style', () => {
    const both = 'resources:\n  - ../base\npatches:\n  - path: a.yaml\npatchesStrategicMerge:\n  - b.yaml\n';
    const [psm] = fixesOf(both, join(overlay, 'kustomization.yaml'));
    assert.equal(
      applyEdits(both, psm!.fixes[0]!.edits),
      'resources:\n  - ../base\npatches:\n  - path: a.yaml\n  - path: b.yaml\n',
    );
    const flow = 'resources: [../base]\nbases:\n  - ../other\n';
    assert.deepEqual(fixesOf(flow, join(overlay, 'kustomization.yaml'))[0]!.fixes, []);
    // inline patch text has no mechanical move: kustomize tells it from a path by reading the disk
    const inline = 'patchesStrategicMerge:\n  - |-\n    apiVersion: apps/v1\n    kind: Deployment\n';
    assert.deepEqual(fixesOf(inline, join(overlay, 'kustomization.yaml'))[0]!.fixes, []);
  });

  (KUBECTL ? it : it.skip)(
    `each fix builds to the same objects with kubectl kustomize${KUBECTL ? '' : ' (skipped: no kubectl on PATH)'}`,
    () => {
      const build = (text: string): string => {
        writeFileSync(join(overlay, 'kustomization.yaml'), text);
        const r = spawnSync(KUBECTL!.command, ['kustomize', overlay], { encoding: 'utf8' });
        assert.equal(r.status, 0, r.stderr);
        return r.stdout;
      };
      const before = build(DEPRECATED);
      assert.match(before, /team: web/);
      let text = DEPRECATED;
      // one after another, as a user takes them, each checked against the original build
      for (let i = 0; i < 5; i++) {
        const fix = fixesOf(text, join(overlay, 'kustomization.yaml')).find((f) => f.fixes.length > 0)?.fixes[0];
        assert.ok(fix, `fix ${i + 1}`);
        text = applyEdits(text, fix.edits);
        assert.equal(build(text), before, `after "${fix.title}":\n${text}`);
      }
      assert.deepEqual(
        fixesOf(text, join(overlay, 'kustomization.yaml')).map((f) => f.message),
        [],
        'nothing deprecated is left',
      );
    },
  );
});
