import { describe, expect, it } from 'vitest';
import { porterStem } from './porter-stemmer.js';

describe('porterStem', () => {
  it('stems as NLTK PorterStemmer (default mode) does', () => {
    // Expected stems: the example list in NLTK's PorterStemmer documentation (nltk/nltk,
    // nltk/stem/porter.py docstring and doc/howto/stem.doctest).
    const words = [
      'caresses',
      'flies',
      'dies',
      'mules',
      'denied',
      'died',
      'agreed',
      'owned',
      'humbled',
      'sized',
    ];
    const more = ['meeting', 'stating', 'siezing', 'itemization', 'sensational', 'traditional', 'reference'];
    const stems = ['caress', 'fli', 'die', 'mule', 'deni', 'die', 'agre', 'own', 'humbl', 'size'];
    const moreStems = ['meet', 'state', 'siez', 'item', 'sensat', 'tradit', 'refer'];
    expect([...words, ...more, 'colonizer', 'plotted'].map((w) => porterStem(w))).toEqual([
      ...stems,
      ...moreStems,
      'colon',
      'plot',
    ]);
  });

  it('keeps the published algorithm in original mode (no NLTK irregular forms)', () => {
    // Porter (1980), step 1a/1b examples in the paper: caresses → caress, ponies → poni,
    // ties → ti, cats → cat, feed → feed, hopping → hop, falling → fall, filing → file.
    const cases: [string, string][] = [
      ['caresses', 'caress'],
      ['ponies', 'poni'],
      ['ties', 'ti'],
      ['cats', 'cat'],
      ['feed', 'feed'],
      ['hopping', 'hop'],
      ['falling', 'fall'],
      ['filing', 'file'],
    ];
    for (const [word, stem] of cases) expect(porterStem(word, 'original')).toBe(stem);
    // NLTK's departure: four-letter 'ies' words keep 'ie'.
    expect(porterStem('ties', 'nltk')).toBe('tie');
    expect(porterStem('dying', 'nltk')).toBe('die');
  });
});
