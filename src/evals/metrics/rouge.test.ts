import { describe, expect, it } from 'vitest';
import { computeMetric } from './index.js';
import { rougeScore, rougeTokens } from './rouge.js';

// The first two lines of google-research/google-research rouge/testdata/target.txt and
// prediction.txt, the inputs of rouge/rouge_scorer_test.py's "AgainstRouge155" tests.
const targets = [
  "ZfbCUIUuePaiLVUlCaUXxkpu XPeWing tUHfPMuZ',-Xd Y BrUgVJing M-HV.-DgdDaY.rFDJCRing Ht-LM EKBDXkME,yz'RBr q'wtion wIojNbN wL,b .a-'XdQggyFl jB-RPP'iyOIcUxer tKM L",
  "KsJdPByEtAor fE-Qg Dpdbring cw-WeFyu vC MoBL Xdn g wkvcEiGvKtion BDFhrpMtion psing sbKao Q m qiing LMmer HqqLFXe,XPY,J XsurkMer ,ed nB'wH'bWVHjWFEing tQ.saefZwJtKrTlixYpMMsJing UCAPwNHeYVjDing c T BUySKtion gMPfJpwGw p'NvxAoping eu pBwMBKV'I DNxqelhu,PHPxDEq,mtion SN",
];
const predictions = [
  "rFDJCRtion Ht-LM EKtDXkME,yz'RBr q'wer wrojNbN wL,b .a-'XdQggyFl jB-RPP'iyOIcUxi",
  "n cw-WeFyu vC MoBL Xdn g wkvcEiGvKtion BDFhrpMer pstion sbKao Q m qier LMmed HqqLFXe,XPY,J XsurkMeo ,ed nB'wH'bWVHjWFEer tQ.saefZwJtKrTlixYpMMNJtion UCAPwNHeYVjD",
];

describe('ROUGE (rouge-score semantics)', () => {
  it('matches rouge_scorer_test.py on simple strings', () => {
    // google-research/google-research rouge/rouge_scorer_test.py testRouge1, testRouge2,
    // testRougeLConsecutive, testRougeLNonConsecutive.
    expect(rougeScore('rouge1', 'testing one two', 'testing').fmeasure).toBeCloseTo(1 / 2, 10);
    expect(rougeScore('rouge1', 'testing one two', 'testing').recall).toBeCloseTo(1 / 3, 10);
    expect(rougeScore('rouge2', 'testing one two', 'testing one').fmeasure).toBeCloseTo(2 / 3, 10);
    expect(rougeScore('rougeL', 'testing one two', 'testing one').fmeasure).toBeCloseTo(4 / 5, 10);
    expect(rougeScore('rougeL', 'testing one two', 'testing two').fmeasure).toBeCloseTo(4 / 5, 10);
    for (const type of ['rouge1', 'rouge2', 'rougeL', 'rougeLsum'] as const) {
      expect(rougeScore(type, 'testing one two', '').fmeasure).toBe(0); // testRougeEmpty
    }
  });

  it('matches the ROUGE-1.5.5 values of rouge_scorer_test.py (5 decimals, as published)', () => {
    // rouge_scorer_test.py testRouge1AgainstRouge155(+WithStemming), testRouge2AgainstRouge155,
    // testRougeLAgainstRouge155.
    const r1 = rougeScore('rouge1', targets[0] as string, predictions[0] as string);
    expect([r1.recall, r1.precision, r1.fmeasure].map((v) => v.toFixed(5))).toEqual([
      '0.40741',
      '0.68750',
      '0.51163',
    ]);
    const r1b = rougeScore('rouge1', targets[1] as string, predictions[1] as string);
    expect([r1b.recall, r1b.precision, r1b.fmeasure].map((v) => v.toFixed(5))).toEqual([
      '0.40476',
      '0.65385',
      '0.50000',
    ]);
    const r1s = rougeScore('rouge1', targets[1] as string, predictions[1] as string, { stem: true });
    expect([r1s.recall, r1s.precision, r1s.fmeasure].map((v) => v.toFixed(5))).toEqual([
      '0.42857',
      '0.69231',
      '0.52941',
    ]);
    const r2 = rougeScore('rouge2', targets[1] as string, predictions[1] as string, { stem: true });
    expect([r2.recall, r2.precision, r2.fmeasure].map((v) => v.toFixed(5))).toEqual([
      '0.29268',
      '0.48000',
      '0.36364',
    ]);
    const rl = rougeScore('rougeL', targets[1] as string, predictions[1] as string);
    expect([rl.recall, rl.precision, rl.fmeasure].map((v) => v.toFixed(5))).toEqual([
      '0.40476',
      '0.65385',
      '0.50000',
    ]);
  });

  it('computes summary-level LCS for rougeLsum', () => {
    // rouge_scorer_test.py testRougeLsum: recall 0.8, precision 0.4, F 0.5333 (3 places).
    const result = rougeScore('rougeLsum', 'w1 w2 w3 w4 w5', 'w1 w2 w6 w7 w8\nw1 w3 w8 w9 w5');
    expect(result.recall).toBeCloseTo(0.8, 10);
    expect(result.precision).toBeCloseTo(0.4, 10);
    expect(result.fmeasure).toBeCloseTo(0.5333, 3);
    expect(rougeScore('rougeLsum', 'w1 w2 w3 w4 w5', '/').fmeasure).toBe(0);
    expect(rougeScore('rougeLsum', '', 'w1').fmeasure).toBe(0);
  });

  it('matches testRougeLSumAgainstRouge155WithStemming (5 decimals, as published)', () => {
    // google-research/google-research rouge/testdata/pyrouge_files/target_multi.0.txt and
    // prediction_multi.0.txt; expected recall 0.36538, precision 0.66667, F 0.47205.
    const target = [
      ...targets,
      "NhETebUbBk'er WOvoHMTjSRizKgH'vHiing Xu,hWxfs VkNE QhgKiLHE -HidivzoM.dO anhtion jbLQiSGDTCsuhREebUaKM dv J dVN tmbOT",
      "vMR HDm,xOAetion D,tion HJtodT.mHl UIv-p VjWH'BdyWjnfGU-OjT aEMdFICyLWfQMtion wEMfdOKing AwkeKbO 'DxqNOHBH qKtVvm OYJl mM",
    ].join('\n');
    const prediction = [
      ...predictions,
      'xfs VkJE QhgKiLHE -HidivzoM.dO anhing jbLQiSGDTCsuhREebUaKM dv J',
      "VjWH'BdyWjnfGU-OjTNaEMdFICyLWfQMing wEMfdOKijg AwkeKbO 'DxqNO",
    ].join('\n');
    const result = rougeScore('rougeLsum', `${target}\n`, `${prediction}\n`, { stem: true });
    expect([result.recall, result.precision, result.fmeasure].map((v) => v.toFixed(5))).toEqual([
      '0.36538',
      '0.66667',
      '0.47205',
    ]);
  });

  it('keeps Hangul with the korean tokenizer and strips particles', () => {
    expect(rougeTokens('학생들은 학교에 갔다')).toEqual([]);
    expect(rougeTokens('학생들은 학교에 갔다', { tokenizer: 'korean' })).toEqual(['학생', '학교', '갔다']);
    const result = computeMetric('rouge1', {
      predictions: ['학생은 학교에 갔다'],
      references: ['학생들이 학교로 갔다'],
      options: { tokenizer: 'korean' },
    });
    expect(result.score).toBeCloseTo(1, 10);
    // 'auto' (the default) picks the Korean tokenizer when Hangul is present …
    const auto = computeMetric('rouge1', {
      predictions: ['학생은 학교에 갔다'],
      references: ['학생들이 학교로 갔다'],
    });
    expect(auto.details?.tokenizer).toBe('korean');
    expect(auto.score).toBeCloseTo(1, 10);
    // … rouge-score's own tokenizer drops Hangul, and says so.
    const dropped = computeMetric('rouge1', {
      predictions: ['학생은 학교에 갔다'],
      references: ['학생들이 학교로 갔다'],
      options: { tokenizer: 'default' },
    });
    expect(dropped.score).toBe(0);
    expect(dropped.details?.warning).toBeTypeOf('string');
  });

  it('keeps the best reference per item (score_multi)', () => {
    const result = computeMetric('rougeL', {
      predictions: ['testing one'],
      references: [['nothing here', 'testing one two']],
    });
    expect(result.per_item[0]).toBeCloseTo(4 / 5, 10);
  });
});
