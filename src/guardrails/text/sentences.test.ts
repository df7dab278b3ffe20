import { describe, expect, it } from 'vitest';
import { nextSentenceEnd, sentenceAt, splitSentences } from './sentences.js';

describe('sentences', () => {
  it('splits on terminal punctuation before space or a new sentence, and on newlines', () => {
    const text = '서울에 갔다. 비가 왔어요!그래서 Dr.Kim 3.5 left?\n"Yes." he said…  end';
    expect(splitSentences(text).map(({ start, end }) => text.slice(start, end))).toEqual([
      '서울에 갔다.',
      '비가 왔어요!',
      '그래서 Dr.Kim 3.5 left?',
      '"Yes."',
      'he said…',
      'end',
    ]);
    expect(nextSentenceEnd('still typing.')).toBe(-1);
    expect(nextSentenceEnd('done. next')).toBe(5);
  });

  it('places any offset in the sentence splitSentences puts it in, from the nearest end before it', () => {
    let seed = 5;
    const next = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    const alphabet = ['a', 'B', '가', ' ', ' ', '\n', '.', '!', '?', '…', '"', ')', '\t', '3'];
    for (let round = 0; round < 300; round++) {
      const text = Array.from({ length: 60 }, () => alphabet[Math.floor(next() * alphabet.length)]).join('');
      const ranges = splitSentences(text);
      const expected = (at: number) => ranges.find((range) => range.start <= at && at < range.end);
      for (let at = 0; at < text.length; at++)
        expect(sentenceAt(text, at).range, JSON.stringify({ text, at })).toEqual(expected(at));
      // As the HAP detector walks: each later offset from the boundary the last call reported.
      let floor = 0;
      for (let at = 0; at < text.length; at++) {
        if (at < floor) continue;
        const found = sentenceAt(text, at, floor);
        expect(found.range, JSON.stringify({ text, at, floor })).toEqual(expected(at));
        floor = found.next;
      }
    }
  });
});
