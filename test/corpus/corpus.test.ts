import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ModelCache } from '../../server/src/model/file-model';
import { Engine } from '../../server/src/engine';
import { DEFAULT_SETTINGS } from '../../shared/src/settings';
import { RULES_BY_ID } from '../../server/src/rules';
import { CORPUS, corpusRows as rows, describeCorpus } from '../support/corpus';
import { lintText, REPO } from '../support/lint';

describeCorpus('corpus of real manifests', () => {
  it('checks every file without a crash', () => {
    const all = rows();
    assert.equal(all.length, 720);
    for (const row of all) {
      assert.doesNotThrow(() => lintText(readFileSync(join(CORPUS, row.localFile), 'utf8')), row.localFile);
    }
  });

  it('raises no error or warning of a correctness rule on ordinary manifests but the true findings listed in test/corpus-expectations.tsv', () => {
    const ordinary = rows().filter((r) => r.notes === '');
    assert.ok(ordinary.length > 300, `only ${ordinary.length} ordinary files`);
    const alarms: string[] = [];
    for (const row of ordinary) {
      for (const f of lintText(readFileSync(join(CORPUS, row.localFile), 'utf8'))) {
        // posture findings may be deliberate; posture.test.ts checks that each one is true
        if (f.severity !== 'info' && !RULES_BY_ID.get(f.rule)?.meta.posture)
          alarms.push(`${row.repo}/${row.path}:${f.line} ${f.rule}`);
      }
    }
    const expected = readFileSync(join(REPO, 'test', 'corpus-expectations.tsv'), 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '' && !l.startsWith('#'))
      .map((l) => {
        const [file, line, rule] = l.split('\t');
        return `${file}:${line} ${rule}`;
      });
    assert.deepEqual([...new Set(alarms)].sort(), [...new Set(expected)].sort());
  });

  it('raises no error or warning of a set rule on ordinary manifests, each repository checked as one set', () => {
    const SET_RULES = new Set([
      'service-no-pods',
      'service-target-port',
      'missing-reference',
      'missing-key',
      'service-port-protocol',
    ]);
    const byRepo = new Map<string, ReturnType<typeof rows>>();
    for (const row of rows()) byRepo.set(row.repo, [...(byRepo.get(row.repo) ?? []), row]);
    const alarms: string[] = [];
    let reported = 0;
    for (const repoRows of byRepo.values()) {
      const engine = new Engine();
      const members = repoRows.map((row) => ({
        key: row.localFile,
        text: readFileSync(join(CORPUS, row.localFile), 'utf8'),
        settings: DEFAULT_SETTINGS,
      }));
      // as the CLI does: each file checked under its key, then the set
      for (const m of members) engine.check(m.text, m.settings, m.key);
      const found = engine.checkSet(members);
      for (const row of repoRows) {
        for (const f of found.get(row.localFile) ?? []) {
          assert.ok(SET_RULES.has(f.rule), f.rule);
          reported++;
          if (row.notes === '' && f.severity !== 'info') alarms.push(`${row.repo}/${row.path} ${f.rule}: ${f.message}`);
        }
      }
    }
    // the rules do read the corpus: its Services and references give infos
    assert.ok(reported > 50, `only ${reported} set findings`);
    assert.deepEqual(alarms, []);
  });

  it('skips every Helm template of the corpus with one note, and checks the files of other tools’ placeholders', () => {
    // the corpus's own label (INDEX.tsv column templated): helm, envsubst, placeholder or no
    const notPods: Record<string, string> = {
      // its only placeholder, {{HF_TOKEN}}, is in a Secret; the Deployment is plain YAML
      'ai-ml/llm-serving-llama/vllm/vllm-llama4-maverick-17b-128e-instruct-fp8.yaml': 'checked',
      // a HorizontalPodAutoscaler: no pod
      'tests/testdata/mychart/templates/hpa.yaml': 'no pod',
    };
    const seen: string[] = [];
    for (const row of rows().filter((r) => r.templated !== 'no')) {
      const file = new ModelCache().parseFile(readFileSync(join(CORPUS, row.localFile), 'utf8'));
      const skipped = lintText(file.text).filter((f) => f.rule === 'templated').length;
      const why = notPods[row.path];
      if (row.templated === 'helm' && !why) {
        assert.equal(skipped, 1, `${row.localFile}: a Helm template, skipped with one note`);
        // vitess' etcd template is sed's ({{cell}}, {{replicas}}), skipped for `replicas: {{replicas}}`
        const sed = row.path.endsWith('vitess/etcd-controller-template.yaml');
        assert.equal(file.template?.syntax, sed ? 'placeholder' : 'go', row.localFile);
      } else {
        assert.equal(skipped, 0, `${row.localFile} (${row.templated}): checked`);
      }
      if (why) seen.push(row.path);
    }
    assert.deepEqual(seen.sort(), Object.keys(notPods).sort(), 'each exception is still in the corpus');
  });

  it('reports the syntax errors of pod documents that do not parse, or skips them as templates', () => {
    const broken = rows().filter((r) => r.notes.includes('yaml-parse-error'));
    assert.ok(broken.length > 0);
    let reported = 0;
    for (const row of broken) {
      const text = readFileSync(join(CORPUS, row.localFile), 'utf8');
      const brokenPodDocs = new ModelCache()
        .parseFile(text)
        .documents.filter((d) => d.model.isPodDocument && d.model.syntaxErrors.length > 0);
      const findings = lintText(text);
      const said = findings.some((f) => f.rule === 'yaml-syntax' || f.rule === 'templated');
      // the corpus marks a file broken for Go's YAML decoder; a placeholder in a Secret can still be YAML to us
      if (brokenPodDocs.length > 0) assert.ok(said, `${row.localFile}: ${JSON.stringify(findings.map((f) => f.rule))}`);
      if (said) reported++;
    }
    assert.ok(reported >= broken.length - 5, `only ${reported} of ${broken.length} broken files reported`);
  });
});
