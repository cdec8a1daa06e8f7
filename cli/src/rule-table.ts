import { RULES } from '../../server/src/rules';

/** The README's rule table, generated from the rule metadata so the two cannot drift. */
export function ruleTable(): string {
  const rows = RULES.map(
    (r) =>
      `| [\`${r.meta.id}\`](${r.meta.docs}) | ${r.meta.description} | ${r.meta.defaultSeverity} | ${r.meta.fixable ? 'yes' : 'no'} | ${r.meta.posture ? 'posture' : 'correctness'} |`,
  );
  return ['| rule | checks | default | quick fix | kind |', '| --- | --- | --- | --- | --- |', ...rows].join('\n');
}
