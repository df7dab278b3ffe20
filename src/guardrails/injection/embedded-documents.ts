/**
 * @module guardrails/injection/embedded-documents
 * Data quoted inside a prompt: the parts of a user's message that are not the user's own words
 * but a document pasted or templated in — triple-quoted blocks and document-like tags
 * (`<document>`, `<context>`, `<email>`, `<search_results>`, …). The injection detector reads
 * them as documents (indirect injection), the rest of the prompt as a prompt.
 */

export interface Region {
  start: number;
  end: number;
}

const tagNames = String.raw`document|documents|doc|context|contexts|email|e-mail|mail|passage|passages|article|webpage|web_page|page|search_results?|retrieved(?:_\w+)?|tool_(?:result|output)|data|source|sources|snippet|table|문서|자료|본문|이메일|메일`;
/** A quote opener: `"""`, `'''`, or an opening document tag (its name is group 1). */
const opener = new RegExp(String.raw`"""|'''|<(${tagNames})(?:\s[^<>\n]{0,200})?>`, 'giu');

/** The quoted-data regions of a prompt, in order, not overlapping (an unclosed one runs to the end). */
export function embeddedDocuments(text: string): Region[] {
  // One cheap test before any regex: no quote mark and no tag, no region.
  if (!text.includes('"""') && !text.includes("'''") && !text.includes('<')) return [];
  const regions: Region[] = [];
  const fences = codeFences(text);
  opener.lastIndex = 0;
  for (let match = opener.exec(text); match; match = opener.exec(text)) {
    // Quotes inside code are the code's own: docstrings, fenced blocks, `x = """…"""`.
    if (!match[1] && inCode(text, match.index, fences)) {
      const close = text.indexOf(match[0], match.index + match[0].length);
      opener.lastIndex = close < 0 ? text.length : close + match[0].length;
      continue;
    }
    const start = match.index + match[0].length;
    const close = match[1] ? closingTag(text, match[1], start) : text.indexOf(match[0], start);
    const end = close < 0 ? text.length : close;
    if (end > start) regions.push({ start, end });
    opener.lastIndex = close < 0 ? text.length : end + (match[1] ? match[1].length + 3 : match[0].length);
  }
  return regions;
}

function closingTag(text: string, name: string, from: number): number {
  const closing = new RegExp(`</${name.replace(/[-]/g, '\\-')}\\s*>`, 'iu');
  const found = closing.exec(text.slice(from));
  return found ? from + found.index : -1;
}

/** Ranges between ``` fences (an unclosed fence runs to the end). */
function codeFences(text: string): Region[] {
  const fences: Region[] = [];
  for (let open = text.indexOf('```'); open >= 0; ) {
    const close = text.indexOf('```', open + 3);
    fences.push({ start: open, end: close < 0 ? text.length : close + 3 });
    open = close < 0 ? -1 : text.indexOf('```', close + 3);
  }
  return fences;
}

/** A quote mark in a fenced block, indented like a docstring, or after `=` or `(` on its line. */
function inCode(text: string, at: number, fences: readonly Region[]): boolean {
  if (fences.some((fence) => at >= fence.start && at < fence.end)) return true;
  const line = text.slice(text.lastIndexOf('\n', at - 1) + 1, at);
  return /^[ \t]+$/.test(line) || /[=(]\s*$/.test(line);
}
