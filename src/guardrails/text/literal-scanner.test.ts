import { describe, expect, it } from 'vitest';
import { LiteralScanner } from './literal-scanner.js';

/** Every start of every word of each group, by indexOf: what the scanner must return. */
function naive(groups: Record<string, readonly string[]>, text: string): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const [name, words] of Object.entries(groups)) {
    const positions = new Set<number>();
    for (const word of words)
      for (let at = text.indexOf(word); at >= 0; at = text.indexOf(word, at + 1)) positions.add(at);
    out[name] = [...positions].sort((a, b) => a - b);
  }
  return out;
}

describe('LiteralScanner', () => {
  it('finds every start of every word, per group, in Korean and English', () => {
    const groups = {
      honorific: ['님', '씨', '고객님', '선생님'],
      place: ['서울', '서울특별시', 'Seoul', 'New York'],
      org: ['Inc', 'Inc.', '은행'],
    };
    const text = '김민지 고객님, 서울특별시에서 Seoul과 New York의 Acme Inc. 은행 직원 이씨님';
    expect(new LiteralScanner(groups).scan(text)).toEqual(naive(groups, text));
  });

  it('reports a position once per group even when several words start there', () => {
    const hits = new LiteralScanner({ a: ['ab', 'abc', 'a'] }).scan('abcab');
    expect(hits.a).toEqual([0, 3]);
  });

  it('finds overlapping words and words at the very end', () => {
    const hits = new LiteralScanner({ a: ['aa'], b: ['a'] }).scan('aaa');
    expect(hits).toEqual({ a: [0, 1], b: [0, 1, 2] });
  });

  it('agrees with indexOf on random words and texts (hash collisions included)', () => {
    let seed = 7;
    const next = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    const alphabet = 'ab가나다AB.: \u00ad\u200b';
    const word = (length: number) =>
      Array.from({ length }, () => alphabet[Math.floor(next() * alphabet.length)]).join('');
    for (let round = 0; round < 50; round++) {
      const groups = {
        one: Array.from({ length: 3 }, () => word(1)),
        short: Array.from({ length: 5 }, () => word(2)),
        long: Array.from({ length: 8 }, () => word(3 + Math.floor(next() * 4))),
      };
      const text = word(400);
      expect(new LiteralScanner(groups).scan(text)).toEqual(naive(groups, text));
    }
  });

  it('matches groups in either case, as whole words or only at word starts when asked', () => {
    const scanner = new LiteralScanner(
      { any: ['ignore', 'do', '모든'], whole: ['ignore', 'do', '모든'], start: ['ign'], plain: ['Do'] },
      {
        any: { caseless: true },
        whole: { caseless: true, wholeWord: true },
        start: { wordStart: true },
      },
    );
    const text = 'IGNORE xignore do_ Do, ignored 모든이 ign';
    expect(scanner.scan(text)).toEqual({
      any: [0, 8, 15, 19, 23, 31],
      whole: [0, 19, 31],
      start: [23, 35],
      plain: [19],
    });
  });

  it('agrees with case-insensitive whole-word regexes on random text', () => {
    let seed = 11;
    const next = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    const alphabet = 'aAbB_1 .가';
    const word = (length: number) =>
      Array.from({ length }, () => alphabet[Math.floor(next() * alphabet.length)]).join('');
    for (let round = 0; round < 50; round++) {
      const words = Array.from({ length: 6 }, () => word(1 + Math.floor(next() * 3))).filter((w) =>
        /^[a-zA-Z]+$/.test(w),
      );
      if (!words.length) continue;
      const text = word(300);
      const expected = new Set<number>();
      for (const w of words)
        for (let at = 0; at < text.length; at++)
          if (new RegExp(`^${w}\\b`, 'i').test(text.slice(at)) && (at === 0 || !/\w/.test(text[at - 1]!)))
            expected.add(at);
      const hits = new LiteralScanner({ w: words }, { w: { caseless: true, wholeWord: true } }).scan(text).w;
      expect(hits, `${words} in ${text}`).toEqual([...expected].sort((a, b) => a - b));
    }
  });

  it('reports marked character contexts and runs of three identical characters from the same pass', () => {
    // Classes: 1 for letters, 2 for spaces; mark a letter between two spaces (a letter alone).
    const classes = new Uint8Array(0x10000);
    for (const char of 'abcdefghijklmnopqrstuvwxyz') classes[char.charCodeAt(0)] = 1;
    classes[0x20] = 2;
    const marks = new Uint8Array(0x1000);
    marks[(2 << 8) | (1 << 4) | 2] = 1;
    const scanner = new LiteralScanner<'word' | 'alone' | 'triple'>(
      { word: ['ab'], alone: [], triple: [] },
      {},
      { group: 'alone', repeats: 'triple', classes, marks, outside: { before: 2, after: 2 } },
    );
    expect(scanner.scan('a b cc dddd ab x')).toEqual({ word: [12], alone: [0, 2, 15], triple: [7, 8] });
    expect(scanner.scan('')).toEqual({ word: [], alone: [], triple: [] });
  });

  it('returns empty lists for empty text and rejects empty words', () => {
    expect(new LiteralScanner({ a: ['x'] }).scan('')).toEqual({ a: [] });
    expect(() => new LiteralScanner({ a: [''] })).toThrow(/empty anchor word/);
  });

  it('scans texts longer than its reusable buffer', () => {
    const text = '님'.repeat(10_000);
    expect(new LiteralScanner({ a: ['님'] }).scan(text).a).toHaveLength(10_000);
  });
});
