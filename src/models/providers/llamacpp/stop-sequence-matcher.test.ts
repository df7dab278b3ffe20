import { describe, expect, it } from 'vitest';
import { StopSequenceMatcher } from './stop-sequence-matcher.js';

function run(matcher: StopSequenceMatcher, chunks: string[]) {
  let text = '';
  for (const chunk of chunks) {
    const scan = matcher.push(chunk);
    text += scan.text;
    if (scan.matched) return { text, matched: scan.matched };
  }
  return { text: text + matcher.flush(), matched: undefined };
}

describe('StopSequenceMatcher', () => {
  it('passes text through when there are no sequences', () => {
    expect(run(new StopSequenceMatcher([]), ['a', 'b'])).toEqual({ text: 'ab', matched: undefined });
  });

  it('stops at a sequence split across chunks and never emits part of it', () => {
    const matcher = new StopSequenceMatcher(['END']);
    expect(matcher.push('hello E').text).toBe('hello ');
    expect(matcher.push('N').text).toBe('');
    expect(matcher.push('Dafter')).toEqual({ text: '', matched: 'END' });
  });

  it('releases held text that turns out not to be a stop sequence', () => {
    const matcher = new StopSequenceMatcher(['END']);
    expect(matcher.push('E').text).toBe('');
    expect(matcher.push('x').text).toBe('Ex');
    expect(run(new StopSequenceMatcher(['END']), ['abc E', 'N'])).toEqual({
      text: 'abc EN',
      matched: undefined,
    });
  });

  it('picks the earliest of several sequences', () => {
    const matcher = new StopSequenceMatcher(['\n\n', 'Human:']);
    expect(matcher.push('answer Human: hi\n\n')).toEqual({ text: 'answer ', matched: 'Human:' });
  });

  it('handles Korean and multi-code-unit text', () => {
    expect(run(new StopSequenceMatcher(['끝']), ['안녕', '하세요 끝', ' 더'])).toEqual({
      text: '안녕하세요 ',
      matched: '끝',
    });
  });

  it('does not detect while detection is off', () => {
    const matcher = new StopSequenceMatcher(['.']);
    expect(matcher.push('a.b', { detect: false })).toEqual({ text: 'a.b' });
    expect(matcher.push('c.d')).toEqual({ text: 'c', matched: '.' });
  });
});
