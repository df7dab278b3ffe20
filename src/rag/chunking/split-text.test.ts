/**
 * Splitting megabytes of text: no stack overflow whatever the separators, time proportional to
 * the text, and every piece within the size and in document order.
 */
import { describe, expect, it } from 'vitest';
import { getChunker } from './chunkers.js';
import { approximateTokens } from './measure.js';
import { splitSentences } from './sentences.js';
import { splitRecursively } from './split-text.js';

const threeMegabytes = 3 * 1024 * 1024;

/** True when the pieces cover [0, end) in order, without gaps (one expect, not one per piece). */
function contiguous(pieces: { start: number; end: number }[], end: number): boolean {
  let at = 0;
  for (const piece of pieces) {
    if (piece.start !== at || piece.end <= piece.start) return false;
    at = piece.end;
  }
  return at === end;
}

describe('splitRecursively on large inputs', () => {
  it('splits 3 MB with no separator at all into windows of the size', () => {
    const text = 'x'.repeat(threeMegabytes);
    const pieces = splitRecursively(
      text,
      { start: 0, end: text.length },
      ['\n\n', '\n', 'sentence', ' ', ''],
      {
        size: 16,
        overlap: 0,
        measure: (value) => value.length,
      },
    );
    expect(pieces.length).toBe(Math.ceil(text.length / 16));
    expect(contiguous(pieces, text.length)).toBe(true);
  });

  it('measures tokens of 3 MB with no separator in time proportional to the text', () => {
    const text = 'abcdefgh'.repeat(threeMegabytes / 8);
    const started = performance.now();
    const pieces = splitRecursively(text, { start: 0, end: text.length }, [' ', ''], {
      size: 512,
      overlap: 0,
      measure: approximateTokens,
    });
    expect(contiguous(pieces, text.length)).toBe(true);
    expect(pieces.every((piece) => approximateTokens(text.slice(piece.start, piece.end)) <= 512)).toBe(true);
    // Quadratic search (measuring the whole rest of the span per window) takes minutes here.
    expect(performance.now() - started).toBeLessThan(30_000);
  });

  it('splits deeply nested separators (paragraphs of lines of sentences of words) without recursion limits', () => {
    const sentence = 'Word word word. ';
    const line = `${sentence.repeat(4)}\n`;
    const paragraph = `${line.repeat(4)}\n`;
    const text = paragraph.repeat(Math.ceil(threeMegabytes / paragraph.length));
    const pieces = splitRecursively(
      text,
      { start: 0, end: text.length },
      ['\n\n', '\n', 'sentence', ' ', ''],
      {
        size: 3,
        overlap: 0,
        measure: (value) => value.trim().length,
      },
    );
    expect(pieces.length).toBeGreaterThan(500_000);
    expect(pieces.every((piece) => piece.end - piece.start <= 16)).toBe(true);
  });
});

describe('chunkers on large inputs', () => {
  it('chunks 3 MB without separators into many chunks', () => {
    const text = 'y'.repeat(threeMegabytes);
    const document = { text, mediaType: 'text/plain', metadata: {}, warnings: [] };
    const chunks = getChunker('recursive').chunk(document, { size: 16, overlap: 0 });
    expect(chunks.length).toBe(threeMegabytes / 16);
    expect(chunks.at(-1)!.end).toBe(text.length);
  });

  it('finds sentence ends in a long text of short lines in linear time', () => {
    const text = 'a line without an ending\n'.repeat(120_000);
    const started = performance.now();
    const spans = splitSentences(text);
    expect(spans).toHaveLength(1);
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(splitSentences('서울에 갔다\n비가 왔어요 \n그래서')).toHaveLength(3);
  });
});
