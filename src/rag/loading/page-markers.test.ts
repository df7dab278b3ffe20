import { describe, expect, it } from 'vitest';
import { loadDocument } from './load-document.js';
import { splitPageMarkers } from './page-markers.js';

const extracted =
  '<!-- page 1 -->\n\n# Report\n\nIntro text.\n\n<!-- page 2 -->\n\n| Region | Q1 |\n| --- | --- |\n| North | 4 |\n';

describe('page markers from text extraction', () => {
  it('become page spans and leave the text', () => {
    const { text, pages } = splitPageMarkers(extracted);
    expect(text).not.toContain('<!--');
    expect(pages.map((page) => page.page)).toEqual([1, 2]);
    expect(text.slice(pages[0]!.start, pages[0]!.end)).toBe('# Report\n\nIntro text.');
    expect(text.slice(pages[1]!.start, pages[1]!.end)).toBe('| Region | Q1 |\n| --- | --- |\n| North | 4 |');
  });

  it('are read by the Markdown loader; text without them has no pages', async () => {
    const document = await loadDocument({ data: new TextEncoder().encode(extracted), fileName: 'q3.pdf.md' });
    expect(document.pages?.map((page) => page.page)).toEqual([1, 2]);
    expect(document.text).toContain('| North | 4 |');
    const plain = await loadDocument({
      data: new TextEncoder().encode('# Notes\n\nNo pages.'),
      fileName: 'n.md',
    });
    expect(plain.pages).toBeUndefined();
  });
});
