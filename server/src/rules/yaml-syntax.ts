import type { ObjectRule } from '../engine/types';

export const yamlSyntax: ObjectRule = {
  meta: {
    id: 'yaml-syntax',
    description: 'YAML that does not parse.',
    defaultSeverity: 'error',
    fixable: false,
    docs: 'https://yaml.org/spec/1.2.2/',
  },
  scope: 'object',
  check(document, ctx) {
    if (!document.isPodDocument) return;
    for (const problem of document.syntaxErrors) ctx.report({ message: problem.message, range: problem.range });
  },
};
