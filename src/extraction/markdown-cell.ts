/**
 * @module extraction/markdown-cell
 * One cell of a Markdown table: whitespace collapsed, pipes escaped.
 */
export function markdownCell(text: string): string {
  return text.replace(/\s+/g, ' ').trim().replaceAll('|', '\\|');
}
