// What the fixtures cannot show for the pod-wide host namespace switches: the exact range marked
// (the whole setting, not its trailing comment) and the values that must not count as turned on.
import * as assert from 'node:assert/strict';
import { lintText, podText } from '../support/lint';

const RULES = { 'host-network': 'hostNetwork', 'host-pid': 'hostPID', 'host-ipc': 'hostIPC' };

function pod(setting: string): string {
  return podText(`spec:
  ${setting}
  containers:
    - name: app
      image: nginx:1.27
`);
}

/** The text each finding of the rule marks. */
function marked(text: string, rule: string): string[] {
  return lintText(text)
    .filter((f) => f.rule === rule)
    .map((f) => text.slice(f.range.start, f.range.end));
}

describe('host namespace rules', () => {
  for (const [rule, field] of Object.entries(RULES)) {
    it(`${rule} marks ${field}: true from the key to the value, as a warning`, () => {
      const text = pod(`${field}:   true # node agent`);
      assert.deepEqual(marked(text, rule), [`${field}:   true`]);
      assert.deepEqual(
        lintText(text)
          .filter((f) => f.rule === rule)
          .map((f) => f.severity),
        ['warning'],
      );
    });

    it(`${rule} holds its peace when ${field} is false, null, a string or absent`, () => {
      for (const setting of [`${field}: false`, `${field}:`, `${field}: "true"`, 'dnsPolicy: ClusterFirst'])
        assert.deepEqual(marked(pod(setting), rule), [], setting);
    });

    it(`${rule} reads the last of duplicate ${field} keys, as the API server does`, () => {
      assert.deepEqual(marked(pod(`${field}: true\n  ${field}: false`), rule), []);
      assert.deepEqual(marked(pod(`${field}: false\n  ${field}: true`), rule), [`${field}: true`]);
    });
  }

  it('each switch is its own rule: one setting trips only the rule named after it', () => {
    const text = pod('hostPID: true');
    assert.deepEqual(
      lintText(text)
        .filter((f) => f.rule.startsWith('host-'))
        .map((f) => f.rule),
      ['host-pid'],
    );
  });
});
