import type { FileRule } from '../engine/types';

export const templated: FileRule = {
  meta: {
    id: 'templated',
    description:
      'A Helm or Go template with pods in it, or a file with a {{ }} placeholder where YAML expects a value: skipped until rendered (one finding per file).',
    defaultSeverity: 'info',
    fixable: false,
    docs: 'https://helm.sh/docs/helm/helm_template/',
  },
  scope: 'file',
  check(file, ctx) {
    const template = file.template;
    if (!template) return;
    if (template.syntax === 'placeholder') {
      const written = file.text.slice(template.range.start, template.range.end);
      ctx.report({
        message: `This file has the placeholder ${written} where YAML expects a value: unquoted, "{{" starts a mapping, so the file is not YAML until it is filled in, and Sidecar Pods skips it. Lint the filled-in manifests instead (... | sidecar-pods lint -).`,
        range: template.range,
      });
      return;
    }
    ctx.report({
      message:
        'This file is a Helm/Go template: Sidecar Pods skips it. Lint the rendered manifests instead (helm template ... | sidecar-pods lint -).',
      range: template.range,
    });
  },
};
