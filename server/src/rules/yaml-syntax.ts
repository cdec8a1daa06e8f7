import type { DocumentRule } from './types';

export const yamlSyntax: DocumentRule = {
  meta: {
    id: 'yaml-syntax',
    description: 'YAML that does not parse.',
    defaultSeverity: 'error',
    fixable: false,
    docs: 'https://yaml.org/spec/1.2.2/',
  },
  scope: 'document',
  check(document, ctx) {
    if (!document.isPodDocument) return;
    for (const problem of document.syntaxErrors) ctx.report({ message: problem.message, range: problem.range });
  },
};
