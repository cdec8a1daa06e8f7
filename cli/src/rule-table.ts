import { ruleCatalogue } from '../../server/src/engine';

/** The README's rule table, generated from the rule metadata so the two cannot drift. */
export function ruleTable(): string {
  const rows = ruleCatalogue().map(
    (r) =>
      `| [\`${r.id}\`](${r.docs}) | ${r.description} | ${r.defaultSeverity} | ${r.fixable ? 'yes' : 'no'} | ${r.posture ? 'posture' : 'correctness'} |`,
  );
  return ['| rule | checks | default | quick fix | kind |', '| --- | --- | --- | --- | --- |', ...rows].join('\n');
}
