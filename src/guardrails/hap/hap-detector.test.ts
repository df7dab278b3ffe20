import { describe, expect, it } from 'vitest';
import { createHapDetector } from './hap-detector.js';

const hap = createHapDetector();
const categories = (text: string, threshold = 0.5) =>
  [
    ...new Set(
      hap
        .detect(text)
        .filter((span) => span.score >= threshold)
        .map((span) => span.type),
    ),
  ].sort();

describe('HAP detector', () => {
  it.each([
    ['You are a fucking idiot.', ['abuse', 'profanity']],
    ['ㅅㅂ 진짜 짜증나', ['profanity']],
    ['이 병신아', ['abuse']],
    ['I hate all immigrants, they are vermin.', ['hate']],
  ])('flags %s', (text, expected) => {
    expect(categories(text)).toEqual(expected);
  });

  it.each([
    ['spaced letters', 'f u c k you'],
    ['asterisks', 'f*ck off'],
    ['repeated letters', 'fuuuuuck'],
    ['full-width forms', 'ｆｕｃｋ you'],
    ['leetspeak', 'sh1t head'],
    ['Hangul spaced out', '씨 발 진짜'],
    ['Hangul with symbols', '씨.발'],
  ])('sees through evasion: %s', (_name, text) => {
    expect(categories(text).length).toBeGreaterThan(0);
  });

  it.each([
    'Saying "immigrants are vermin" is hateful and wrong.',
    'It is not okay to call women stupid.',
    'I love my Muslim neighbours.',
    'Scunthorpe is a town in England.',
    '오늘 날씨가 좋네요.',
    '외국인을 혐오하지 말아야 합니다.',
  ])('does not block counter-speech, negation or harmless text: %s', (text) => {
    expect(categories(text)).toEqual([]);
  });

  it('scores sentence by sentence with spans covering the sentence', () => {
    const text = 'Have a nice day. You are a fucking idiot. Bye.';
    const spans = hap.detect(text);
    const start = text.indexOf('You');
    expect(spans.length).toBeGreaterThan(0);
    for (const span of spans) {
      expect(span.start).toBeGreaterThanOrEqual(start);
      expect(span.end).toBeLessThanOrEqual(text.indexOf(' Bye'));
    }
  });
});
