import { describe, expect, it } from 'vitest';
import { startKeys } from './start-keys.js';
import { TriggerScanner } from './triggers.js';

/** What the scanner replaces: each pattern's global scan over the whole text. */
function globalScan(patterns: RegExp[], text: string): number[] {
  const positions: number[] = [];
  for (const pattern of patterns) {
    pattern.lastIndex = 0;
    for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
      positions.push(match.index);
      if (match[0].length === 0) pattern.lastIndex++;
    }
  }
  return positions.sort((a, b) => a - b);
}

describe('start keys', () => {
  it('lists the prefixes of every match, with how far a wide class may lead', () => {
    expect([...startKeys(/ab{3}|x[yZ]?/gi, 3)].sort()).toEqual([
      ['abb', 0],
      ['x', 0],
      ['xy', 0],
      ['xz', 0],
    ]);
    expect(startKeys(/[가-힣]{1,4}놈(?:들)?/g, 3).get('놈들')).toBe(4);
    expect(() => startKeys(/a.b/g, 3)).toThrow();
  });
});

describe('trigger scanner', () => {
  const lexical = [
    /(?<![\p{L}\p{N}])(?:(f+u+c+k+\w*|hell(?= of| no))|(shut up|pos))(?![\p{L}\p{N}])/giu,
    /(씨발|[가-힣]{1,4}놈(?:들)?(?![가-힣])|c발)|(한\.?남)/gu,
    /\b(?:wom[ae]n|can'?t stand)\b/gi,
  ];
  const scanner = new TriggerScanner([
    { pattern: lexical[0]!, wordStart: true },
    { pattern: lexical[1]! },
    { pattern: lexical[2]!, wordStart: true },
  ]);
  const signs = [
    /[\u3131-\u318e\uff01-\uff5e\u200b-\u200f\u2060\ufeff\u0370-\u04ff*]/g,
    /[a-z][0-9@$!|+][a-z]/gi,
    /([a-zA-Z\uac00-\ud7a3])\1\1/g,
    /(?:^|[\s.*_\-~])[a-zA-Z\uac00-\ud7a3](?:[\s.*_\-~]{1,2}[a-zA-Z\uac00-\ud7a3]){2,}(?=$|[\s.*_\-~])/g,
    /(?<![\uac00-\ud7a3])[씨시쒸쉬씌ㅅㅆ병븅빙ㅂ좆존졸ㅈ개새ㄱ미ㅁ닥꺼지염][\s.*_\-~·,]+[\u3131-\u318e\uac00-\ud7a3](?![\uac00-\ud7a3])/g,
  ];
  it.each([
    'FUCK this, what the hell of a day. Shut up! pos. Fuuuck. ſhut up, \u212aind women',
    '이 나쁜놈들 씨발 C발 한.남 한남 그놈 저 놈',
    "x women can't stand sofuck xpos wom4n h e l l o 씨 발 ｆｕｃｋ s\u200bhit aaa-b-c",
    'a b c d. 가 나 다! ㅅ ㅂ 개 새 끼',
    '',
  ])('finds what a global scan of each pattern finds: %s', (text) => {
    expect(scanner.positions(text)).toEqual(globalScan([...lexical, ...signs], text));
  });
});
