import type { FileRule } from '../engine/types';

export const templated: FileRule = {
  meta: {
    id: 'templated',
    description: 'A Helm or Go template with pods in it: skipped until rendered (one finding per file).',
    defaultSeverity: 'info',
    fixable: false,
    docs: 'https://helm.sh/docs/helm/helm_template/',
  },
  scope: 'file',
  check(file, ctx) {
    if (!file.template) return;
    ctx.report({
      message:
        'This file is a Helm/Go template: Sidecar Pods skips it. Lint the rendered manifests instead (helm template ... | sidecar-pods lint -).',
      range: file.template.range,
    });
  },
};
