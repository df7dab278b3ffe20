import { describe, expect, it } from 'vitest';
import { chrf } from './chrf.js';
import { computeMetric } from './index.js';

// Expected values: mjpost/sacrebleu test/test_chrf.py (its EPSILON is 1e-4).
const eps = 1e-4;

describe('chrF (sacreBLEU semantics)', () => {
  it('matches test_chrf.py test_cases (beta 3, eps smoothing)', () => {
    const options = { beta: 3, epsSmoothing: true };
    const cases: [string[], string[], number][] = [
      [['abcdefg'], ['hijklmnop'], 0.0],
      [['a'], ['b'], 0.0],
      [[''], ['b'], 0.0],
      [['aa'], ['ab'], 8.3333],
      [['a', 'b'], ['a', 'c'], 8.3333],
      [['a'], ['a'], 16.6667],
      [['a b c'], ['a b c'], 50.0],
      [['a b c'], ['abc'], 50.0],
      [
        [
          ' risk assessment must be made of those who are qualified and expertise in the sector - these are the scientists .',
        ],
        [
          'risk assessment has to be undertaken by those who are qualified and expert in that area - that is the scientists .',
        ],
        63.36173,
      ],
      [
        [' Die    Beziehung zwischen  Obama und Netanjahu ist nicht gerade  freundlich. '],
        ['Das Verhältnis zwischen Obama und Netanyahu ist nicht gerade freundschaftlich.'],
        64.1302698,
      ],
      [
        ['Niemand hat die Absicht, eine Mauer zu errichten'],
        ['Niemand hat die Absicht, eine Mauer zu errichten'],
        100,
      ],
    ];
    for (const [hyps, refs, expected] of cases) {
      const result = chrf(
        hyps,
        refs.map((r) => [r]),
        options,
      );
      expect(Math.abs(result.score - expected)).toBeLessThan(eps);
    }
  });

  it('matches test_chrf.py effective-order and keep-whitespace cases', () => {
    const effective: [string[], string[], number][] = [
      [['a'], ['a'], 100],
      [[''], ['reference'], 0],
      [['a b c'], ['abc'], 100],
      [['a', 'b'], ['a', 'c'], 50],
      [['aa'], ['ab'], 25],
    ];
    for (const [hyps, refs, expected] of effective) {
      const result = chrf(
        hyps,
        refs.map((r) => [r]),
        { beta: 3 },
      );
      expect(Math.abs(result.score - expected)).toBeLessThan(eps);
    }
    const kept = chrf(
      ['Die Beziehung zwischen Obama und Netanjahu ist nicht gerade freundlich.'],
      [['Das Verhältnis zwischen Obama und Netanyahu ist nicht gerade freundschaftlich.']],
      { beta: 3, whitespace: true },
    );
    expect(Math.abs(kept.score - 67.3481606)).toBeLessThan(eps);
  });

  it('matches test_chrf.py sentence-level values (defaults: beta 2)', () => {
    const cases: [string, string, number][] = [
      [
        'Co nás nejvíc trápí, protože lékaři si vybírají, kdo bude žít a kdo zemře.',
        'Nejvíce smutní jsme z toho, že musíme rozhodovat o tom, kdo bude žít a kdo zemře.',
        39.14078509,
      ],
      [
        'Nebo prostě nemají vybavení, které by jim pomohlo, uvedli lékaři.',
        'A někdy nemáme ani potřebný materiál, abychom jim pomohli, popsali lékaři.',
        31.22557079,
      ],
      [
        'Lapali po dechu, jejich životy skončily dřív, než skutečně začaly.',
        'Lapali po dechu a pak jejich život skončil - dřív, než skutečně mohl začít, připomněli.',
        57.15704367,
      ],
    ];
    for (const [hyp, ref, expected] of cases) {
      const result = chrf([hyp], [[ref]], { epsSmoothing: true });
      expect(Math.abs((result.perItem[0] as number) - expected)).toBeLessThan(1e-6);
    }
  });

  it('offers chrF++ through word_order', () => {
    const plain = computeMetric('chrf', { predictions: ['the cat sat'], references: ['the cat sat down'] });
    const plus = computeMetric('chrf', {
      predictions: ['the cat sat'],
      references: ['the cat sat down'],
      options: { word_order: 2 },
    });
    expect(plus.details?.variant).toBe('chrF++');
    expect(plain.details?.variant).toBe('chrF');
    expect(plus.score).toBeGreaterThan(0);
    expect(plus.score).toBeLessThanOrEqual(100);
  });
});
