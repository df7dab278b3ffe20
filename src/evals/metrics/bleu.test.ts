import { describe, expect, it } from 'vitest';
import { computeBleu, corpusBleu, hfBleu, sentenceBleu } from './bleu.js';
import { computeMetric } from './index.js';

// mjpost/sacrebleu test/test_bleu.py: the README example.
const refStreams = [
  ['The dog bit the man.', 'It was not unexpected.', 'The man bit him first.'],
  ['The dog had bit the man.', 'No one was surprised.', 'The man had bitten the dog.'],
];
const hyps = ['The dog bit the man.', "It wasn't surprising.", 'The man had just bitten him.'];
const refs = hyps.map((_, i) => refStreams.map((stream) => stream[i] as string));

describe('sacreBLEU-compatible BLEU', () => {
  it('matches test_bleu.py corpus values (1e-6)', () => {
    // test_bleu.py test_corpus_bleu_cases: default 48.530827, tokenize none 49.1919566,
    // smooth none 48.530827, empty hypotheses 0.0.
    expect(Math.abs(corpusBleu(hyps, refs).score - 48.530827)).toBeLessThan(1e-6);
    expect(Math.abs(corpusBleu(hyps, refs, { tokenizer: 'none' }).score - 49.1919566)).toBeLessThan(1e-6);
    expect(Math.abs(corpusBleu(hyps, refs, { smooth: 'none' }).score - 48.530827)).toBeLessThan(1e-6);
    expect(corpusBleu(['', '', ''], refs).score).toBe(0);
    // test_bleu.py test_case_scoring: compute_bleu([9,7,5,3], [10,8,6,4], 11, 11) = 0.8375922397.
    const scored = computeBleu({ correct: [9, 7, 5, 3], total: [10, 8, 6, 4], sysLen: 11, refLen: 11 });
    expect(Math.abs(scored.score / 100 - 0.8375922397)).toBeLessThan(1e-8);
  });

  it('matches test_sentence_bleu.py (sacreBLEU reports 1e-3)', () => {
    // mjpost/sacrebleu test/test_sentence_bleu.py, example from issue #98.
    const ref = 'producţia de zahăr brut se exprimă în zahăr alb;';
    const sys = 'Producția de zahăr primă va fi exprimată în ceea ce privește zahărul alb;';
    const cases: [Parameters<typeof sentenceBleu>[2], number][] = [
      [{ smooth: 'exp' }, 8.493],
      [{ smooth: 'none' }, 0.0],
      [{ smooth: 'floor' }, 4.51688],
      [{ smooth: 'floor', smoothValue: 0.5 }, 10.1],
      [{ smooth: 'add-k' }, 14.882],
      [{ smooth: 'add-k', smoothValue: 2 }, 21.389],
      [{ smooth: 'exp', tokenizer: 'none' }, 7.347],
    ];
    for (const [options, expected] of cases) {
      expect(Math.abs(sentenceBleu(sys, [ref], options).score - expected)).toBeLessThan(1e-3);
    }
    // test_sentence_bleu.py test_cases_zero_bleu (issue #141): no match is 0 with any smoothing.
    for (const smooth of ['exp', 'none', 'floor', 'add-k'] as const) {
      expect(sentenceBleu('this is a cat', ['okay thanks'], { smooth }).score).toBe(0);
    }
  });

  it('uses effective order for short segments', () => {
    // test_bleu.py test_case_effective_order (floor 0.01, no tokenization, effective order).
    const options = { smooth: 'floor' as const, smoothValue: 0.01, tokenizer: 'none' as const };
    expect(Math.abs(sentenceBleu('test', ['a test'], options).score / 100 - 0.3678794411714425)).toBeLessThan(
      1e-8,
    );
    expect(Math.abs(sentenceBleu('a test', ['a test'], options).score / 100 - 1)).toBeLessThan(1e-8);
    expect(
      Math.abs(sentenceBleu('a little test', ['a test'], options).score / 100 - 0.03218297948685433),
    ).toBeLessThan(1e-8);
  });
});

describe('Hugging Face evaluate bleu', () => {
  it('matches the evaluate bleu README example', () => {
    // huggingface/evaluate metrics/bleu/README.md: bleu 1.0, brevity_penalty 1.0,
    // length_ratio 1.1666666666666667, translation_length 7, reference_length 6.
    const { corpus } = hfBleu(
      ['hello there general kenobi', 'foo bar foobar'],
      [['hello there general kenobi', 'hello there !'], ['foo bar foobar']],
    );
    expect(corpus.bleu).toBeCloseTo(1, 12);
    expect(corpus.brevity_penalty).toBe(1);
    expect(corpus.length_ratio).toBeCloseTo(1.1666666666666667, 12);
    expect(corpus.translation_length).toBe(7);
    expect(corpus.reference_length).toBe(6);
  });

  it('exposes both names through computeMetric', () => {
    const bleu = computeMetric('bleu', { predictions: hyps, references: refs });
    const sacre = computeMetric('sacrebleu', { predictions: hyps, references: refs });
    expect(bleu.score).toBeGreaterThan(0);
    expect(bleu.score).toBeLessThanOrEqual(1);
    expect(Math.abs(sacre.score - 48.530827)).toBeLessThan(1e-6);
    expect(sacre.per_item).toHaveLength(3);
  });
});
