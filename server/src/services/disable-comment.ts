import { splitDocuments } from '../model/split';
import type { TextEditSpec } from '../engine/types';
import { applyEdits, eolOf, lineStart as lineStartOf } from '../fixes/edits';
import { keepsYamlValid } from '../fixes/edits';
import { comments, DISABLE_NEXT_LINE, NOT_SUPPRESSIBLE, parseDirective } from '../engine/suppression';

/**
 * The edit that silences `rule` on the line holding `offset` (file offsets): a
 * `# sidecar-pods-disable-next-line RULE` comment above it at the line's indentation, or the rule
 * added to such a comment that is already there. Undefined when no comment can do it (yaml-syntax,
 * or a line that a comment line above could not precede, such as a document's `---` line).
 */
export function disableLineEdit(text: string, rule: string, offset: number): TextEditSpec | undefined {
  if (NOT_SUPPRESSIBLE.has(rule)) return undefined;
  const lineStart = lineStartOf(text, offset);
  const indent = /^[ \t]*/.exec(text.slice(lineStart))![0];
  // A comment above a `---` line would belong to the previous document.
  if (/^---(?:[ \t\r]|$)/.test(text.slice(lineStart, lineStart + 4))) return undefined;
  const eol = eolOf(text);

  if (lineStart > 0) {
    const prevStart = lineStartOf(text, lineStart - 1);
    const prev = comments(text.slice(prevStart, lineStart)).find((c) => c.ownLine);
    const directive = prev && parseDirective(prev.text);
    if (
      prev &&
      directive?.kind === 'line' &&
      directive.rules.length > 0 &&
      isRealComment(text, prevStart + prev.start)
    ) {
      const reason = /\s--\s(.*)$/.exec(prev.text.trimEnd())?.[1];
      const rules = [...directive.rules, rule].join(', ');
      return {
        range: { start: prevStart + prev.start, end: prevStart + prev.start + prev.text.trimEnd().length },
        newText: `# ${DISABLE_NEXT_LINE} ${rules}${reason === undefined ? '' : ` -- ${reason}`}`,
      };
    }
  }
  const edit = {
    range: { start: lineStart, end: lineStart },
    newText: `${indent}# ${DISABLE_NEXT_LINE} ${rule}${eol}`,
  };
  // Inside a multi-line scalar or flow collection a new line would be content, or break the YAML.
  const after = applyEdits(text, [edit]);
  return isRealComment(after, lineStart + indent.length) && keepsYamlValid(text, after) ? edit : undefined;
}

/** A `#` at `offset` that the lexer of its whole document reads as a comment (not block-scalar text). */
function isRealComment(text: string, offset: number): boolean {
  const chunk = splitDocuments(text)
    .filter((c) => c.offset <= offset)
    .pop();
  if (!chunk) return false;
  return comments(chunk.text).some((c) => chunk.offset + c.start === offset);
}
