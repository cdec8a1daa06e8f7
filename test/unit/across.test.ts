// Authoring across objects: hover, definition, references and completion between a Service, the
// pods it selects and the ConfigMaps they read, each written in its own file.
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES } from '../support/lint';
import { DEFAULT_SETTINGS } from '../../shared/src/settings';
import { Engine, type SetMember } from '../../server/src/engine';
import {
  acrossCompletions,
  acrossDefinition,
  acrossHover,
  acrossReferences,
  type SetPlace,
} from '../../server/src/services/across';
import { cursorContext } from '../../server/src/services/completion-context';
import { relationsOf } from '../../server/src/workspace/relations';

/** A Service, the Deployment it selects (Istio-injected, with a native sidecar), and ConfigMaps. */
const DIR = join(FIXTURES, 'workspace', 'web');
const FILES: Record<string, string> = Object.fromEntries(
  readdirSync(DIR).map((name) => [name, readFileSync(join(DIR, name), 'utf8')]),
);

function setOf(files: Record<string, string>): {
  members: SetMember[];
  at: (key: string, needle: string, skip?: number) => number;
} {
  const engine = new Engine();
  const members = Object.entries(files).map(([key, text]) => ({
    key,
    file: engine.open(text, key)!,
    settings: DEFAULT_SETTINGS,
  }));
  return {
    members,
    at: (key, needle, skip = 0) => {
      const i = files[key]!.indexOf(needle);
      assert.ok(i >= 0, `${needle} in ${key}`);
      return i + skip;
    },
  };
}

const textAt = (files: Record<string, string>, p: SetPlace): string => files[p.key]!.slice(p.range.start, p.range.end);

describe('authoring across objects', () => {
  const { members, at } = setOf(FILES);
  const relations = relationsOf(members);
  const name = (k: string): string => k;

  it("hover on a Service's targetPort: the container and port that receive it, through the mesh's proxy", () => {
    const h = acrossHover(relations, 'svc.yaml', at('svc.yaml', 'targetPort: http', 13), name);
    assert.ok(h);
    assert.match(h.markdown, /Service port 80 \(`http`\)/);
    assert.match(
      h.markdown,
      /Deployment `web` in deploy\.yaml: container `app` \(app container\), port 8080 `http`\/TCP/,
    );
    assert.match(h.markdown, /istio-proxy.*intercepts it first/);
    const metrics = acrossHover(relations, 'svc.yaml', at('svc.yaml', 'targetPort: 9100', 13), name);
    assert.match(metrics!.markdown, /container `exporter` \(native sidecar\), port 9100/);
  });

  it('hover on the selector lists the pods it selects; on a containerPort, the Services that route to it', () => {
    const sel = acrossHover(relations, 'svc.yaml', at('svc.yaml', 'selector:', 2), name);
    assert.match(sel!.markdown, /Selects 1 pod template/);
    assert.match(sel!.markdown, /Deployment `web` in deploy\.yaml: 9100 on `exporter`, 8080 `http` on `app`/);
    const port = acrossHover(relations, 'deploy.yaml', at('deploy.yaml', 'containerPort: 8080', 3), name);
    assert.match(port!.markdown, /Routed here by:[\s\S]*Service `web` in svc\.yaml port 80 \(`http`\)/);
  });

  it('a Service selecting nothing says so; a target no container declares says what happens', () => {
    const broken = { ...FILES, 'svc.yaml': FILES['svc.yaml']!.replace('targetPort: http', 'targetPort: htp') };
    const s = setOf(broken);
    const h = acrossHover(relationsOf(s.members), 'svc.yaml', s.at('svc.yaml', 'targetPort: htp', 13), name);
    assert.match(h!.markdown, /no container declares a port named `htp`/);
    const none = { ...FILES, 'svc.yaml': FILES['svc.yaml']!.replace('app: web', 'app: api') };
    const n = setOf(none);
    const sel = acrossHover(relationsOf(n.members), 'svc.yaml', n.at('svc.yaml', 'selector:', 2), name);
    assert.match(sel!.markdown, /Selects no pod/);
  });

  it('definition: targetPort to the containerPort, selector to the pod labels, a ConfigMap name and key to the ConfigMap', () => {
    const port = acrossDefinition(relations, 'svc.yaml', at('svc.yaml', 'targetPort: http', 13));
    assert.equal(port.length, 1);
    assert.equal(port[0]!.key, 'deploy.yaml');
    assert.match(textAt(FILES, port[0]!), /name: http\s+containerPort: 8080/);
    const labels = acrossDefinition(relations, 'svc.yaml', at('svc.yaml', 'selector:', 1));
    assert.deepEqual(
      labels.map((p) => [p.key, textAt(FILES, p).trim()]),
      [['deploy.yaml', 'app: web']],
    );
    const cm = acrossDefinition(relations, 'deploy.yaml', at('deploy.yaml', 'name: web-config', 8));
    assert.deepEqual(
      cm.map((p) => [p.key, textAt(FILES, p)]),
      [['config.yaml', 'web-config']],
      'not the other namespace',
    );
    const key = acrossDefinition(relations, 'deploy.yaml', at('deploy.yaml', 'key: LOG_LEVEL', 7));
    assert.deepEqual(
      key.map((p) => [p.key, textAt(FILES, p)]),
      [['config.yaml', 'LOG_LEVEL']],
    );
  });

  it('references: a ConfigMap to the pods that read it, a key to its uses, a containerPort to the Service ports', () => {
    const uses = acrossReferences(relations, 'config.yaml', at('config.yaml', 'web-config', 2), false);
    assert.deepEqual(
      uses.map((p) => [p.key, textAt(FILES, p)]),
      [['deploy.yaml', 'web-config']],
    );
    const withDecl = acrossReferences(relations, 'config.yaml', at('config.yaml', 'web-config', 2), true);
    assert.equal(withDecl.length, 2);
    const key = acrossReferences(relations, 'config.yaml', at('config.yaml', 'LOG_LEVEL', 1), false);
    assert.deepEqual(
      key.map((p) => [p.key, textAt(FILES, p)]),
      [['deploy.yaml', 'LOG_LEVEL']],
    );
    const port = acrossReferences(relations, 'deploy.yaml', at('deploy.yaml', 'containerPort: 8080', 2), false);
    assert.deepEqual(
      port.map((p) => [p.key, textAt(FILES, p)]),
      [['svc.yaml', 'http']],
    );
  });

  it("completion: a targetPort from the selected pods' port names, ConfigMap names and keys from the set", () => {
    const typing = { ...FILES, 'svc.yaml': FILES['svc.yaml']!.replace('targetPort: http', 'targetPort: ') };
    const s = setOf(typing);
    const r = relationsOf(s.members);
    const complete = (files: Record<string, string>, key: string, offset: number): string[] => {
      const member = s.members.find((m) => m.key === key) ?? setOf(files).members.find((m) => m.key === key)!;
      const doc = member.file.documents[0]!;
      const ctx = cursorContext(doc.model.text, offset - doc.offset)!;
      return acrossCompletions(r, key, offset, ctx, doc.model.yaml.contents)
        .map((i) => i.label)
        .sort();
    };
    assert.deepEqual(complete(typing, 'svc.yaml', s.at('svc.yaml', 'targetPort: ', 12)), ['http']);
    const naming = { ...FILES, 'deploy.yaml': FILES['deploy.yaml']!.replace('name: web-config', 'name: ') };
    const n = setOf(naming);
    const nr = relationsOf(n.members);
    const needle = 'configMapKeyRef:\n                  name: ';
    const nameAt = n.at('deploy.yaml', needle, needle.length);
    const doc = n.members.find((m) => m.key === 'deploy.yaml')!.file.documents[0]!;
    const ctx = cursorContext(doc.model.text, nameAt)!;
    assert.equal(ctx.key, 'name');
    assert.deepEqual(
      acrossCompletions(nr, 'deploy.yaml', nameAt, ctx, doc.model.yaml.contents).map((i) => i.label),
      ['web-config'],
    );
    const keyAt = at('deploy.yaml', 'key: LOG_LEVEL', 5);
    const keyDoc = members.find((m) => m.key === 'deploy.yaml')!.file.documents[0]!;
    const keyCtx = cursorContext(keyDoc.model.text, keyAt)!;
    assert.deepEqual(
      acrossCompletions(relations, 'deploy.yaml', keyAt, keyCtx, keyDoc.model.yaml.contents)
        .map((i) => i.label)
        .sort(),
      ['FEATURES', 'LOG_LEVEL'],
    );
  });

  it('nothing across objects at places that do not relate, and no throw at any offset of any member', () => {
    assert.equal(acrossHover(relations, 'deploy.yaml', at('deploy.yaml', 'image: nginx', 2), name), undefined);
    for (const m of members) {
      for (let offset = 0; offset <= m.file.text.length; offset++) {
        acrossHover(relations, m.key, offset, name);
        acrossDefinition(relations, m.key, offset);
        acrossReferences(relations, m.key, offset, true);
      }
    }
  });
});
