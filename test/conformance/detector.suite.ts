/**
 * The detector port's contract, for every detector (built-in rule sets and model-backed ones):
 * identity fields, spans sorted and inside the text, offsets into the original text even when the
 * detector normalises internally, no throw on any string, scores in 0..1, no raw text unless asked.
 */
import { describe, expect, it } from 'vitest';
import type { DetectorV1, Span } from '../../src/spec/detector.js';

export interface DetectorSuiteCase {
  /** A text with at least one finding of this detector. */
  positive: string;
  /** A text with none. */
  negative: string;
}

async function detect(detector: DetectorV1, text: string, options = {}): Promise<Span[]> {
  return await detector.detect(text, options);
}

const awkward = [
  '',
  ' ',
  '\ud800',
  '\udc00abc\ud800',
  '\u200b'.repeat(500),
  '\u202e\u2066\u2069',
  '😀'.repeat(100),
  'ㅋ'.repeat(10_000),
  'a'.repeat(200_000),
  `${'가나다라 '.repeat(20_000)}`,
  '\u0000\u0001\u0002',
  '[[[[(((({{{{',
  'ｆｕｌｌ ｗｉｄｔｈ',
];

export function runDetectorSuite(makeDetector: () => DetectorV1, sample: DetectorSuiteCase): void {
  const detector = makeDetector();
  describe(`detector conformance: ${detector.name}`, () => {
    it('names itself: version, kind and entity types', () => {
      expect(detector.specificationVersion).toBe('v1');
      expect(detector.name).toMatch(/^[a-z][a-z0-9-]*$/);
      expect(detector.version).toMatch(/^\d+\.\d+\.\d+/);
      expect(['pii', 'hap', 'injection']).toContain(detector.kind);
      expect(detector.entityTypes.length).toBeGreaterThan(0);
    });

    it('finds the positive sample and nothing in the negative one', async () => {
      const spans = await detect(detector, sample.positive);
      expect(spans.length).toBeGreaterThan(0);
      for (const span of spans) {
        expect(detector.entityTypes).toContain(span.type);
        expect(span.detector).toBe(detector.name);
        expect(span.version).toBe(detector.version);
      }
      const high = (await detect(detector, sample.negative)).filter((span) => span.score >= 0.5);
      expect(high).toEqual([]);
    });

    it('returns sorted spans inside the text with scores in 0..1', async () => {
      const text = `${sample.negative} ${sample.positive} ${sample.negative} ${sample.positive}`;
      const spans = await detect(detector, text);
      for (let index = 0; index < spans.length; index++) {
        const span = spans[index]!;
        expect(span.start).toBeGreaterThanOrEqual(0);
        expect(span.end).toBeGreaterThan(span.start);
        expect(span.end).toBeLessThanOrEqual(text.length);
        expect(span.score).toBeGreaterThanOrEqual(0);
        expect(span.score).toBeLessThanOrEqual(1);
        if (index > 0) expect(span.start).toBeGreaterThanOrEqual(spans[index - 1]!.start);
      }
    });

    it('keeps the matched text out of spans unless asked, and gives it exactly when asked', async () => {
      const plain = await detect(detector, sample.positive);
      for (const span of plain) expect(span.text).toBeUndefined();
      const withText = await detect(detector, sample.positive, { includeText: true });
      for (const span of withText) expect(span.text).toBe(sample.positive.slice(span.start, span.end));
    });

    it('reports offsets into the original text when invisible characters are scattered through it', async () => {
      const spaced = [...sample.positive].join('\u200b');
      const spans = await detect(detector, spaced, { includeText: true });
      for (const span of spans) {
        expect(span.end).toBeLessThanOrEqual(spaced.length);
        expect(span.text).toBe(spaced.slice(span.start, span.end));
      }
    });

    it('does not throw on awkward strings', async () => {
      for (const text of awkward) {
        const spans = await detect(detector, text);
        expect(Array.isArray(spans)).toBe(true);
        for (const span of spans) expect(span.end).toBeLessThanOrEqual(text.length);
      }
    });

    it('is deterministic', async () => {
      const text = `${sample.positive}\n${sample.negative}`;
      expect(await detect(detector, text)).toEqual(await detect(detector, text));
    });
  });
}
