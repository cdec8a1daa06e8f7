import { locatePath } from '../model/yaml-nodes';
import { validatePodKind } from '../schema/validate';
import { walkValue } from '../model/value-path';
import type { DocumentRule } from './types';
import type { Range } from '../model/types';

function firstLine(text: string): Range {
  const eol = text.indexOf('\n');
  return { start: 0, end: eol === -1 ? text.length : eol };
}

export const schema: DocumentRule = {
  meta: {
    id: 'schema',
    description:
      'The Kubernetes JSON Schema: types, required fields, allowed values, unknown fields (warning, with "did you mean").',
    defaultSeverity: 'error',
    fixable: false,
    docs: 'https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/',
  },
  scope: 'document',
  check(document, ctx) {
    if (document.pods.length === 0 || document.syntaxErrors.length > 0) return;
    const built = document.value();
    if (!built.ok) {
      ctx.report({
        message: `the document cannot be expanded into a value (${built.message}); it is not validated`,
        range: firstLine(document.text),
      });
      return;
    }
    const root = document.yaml.contents;
    for (const pod of document.pods) {
      const object = walkValue(built.value, pod.objectPath);
      for (const issue of validatePodKind(pod.kind, object)) {
        const path = [...pod.objectPath, ...issue.path];
        const data: Record<string, unknown> = { schemaKind: issue.kind };
        if (issue.suggestion !== undefined) data['suggestion'] = issue.suggestion;
        ctx.report({
          message: issue.message,
          range: locatePath(root, path, issue.target),
          severity: issue.severity,
          data,
        });
      }
    }
  },
};
