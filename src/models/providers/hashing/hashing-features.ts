/**
 * @module models/providers/hashing/hashing-features
 * The features the hashing embedder counts: word stems (English stop words dropped, Korean
 * particles and endings stripped) and character n-grams inside words (trigrams for Latin, bigrams
 * for Hangul and Han — a Hangul syllable already carries two or three letters).
 * Each feature has a weight by kind; the prefix keeps kinds apart in the hash space.
 */
import { englishStopwords } from '../../../core/text/english-stopwords.js';
import { koreanStopwords, stripKorean } from '../../../core/text/korean-morphology.js';
import { stemEnglish } from '../../../core/text/porter2-stemmer.js';
import { Script, scriptRuns } from '../../../core/text/scripts.js';

// Measured on KorQuAD and XQuAD: adjacent-word pairs crowd a 512-slot space and lower recall;
// character n-grams at about a third of a word's weight raise it.
export const featureWeights = { word: 1, gram: 0.35 } as const;

export type FeatureSink = (feature: string, weight: number) => void;

/**
 * Visits the features of `text`; `maxWords` stops after that many words (the model's
 * `truncateInputTokens`). Returns the number of words seen.
 */
export function visitFeatures(text: string, sink: FeatureSink, maxWords = Number.POSITIVE_INFINITY): number {
  let words = 0;
  for (const { script, start, end } of scriptRuns(text)) {
    if (words >= maxWords) break;
    words++;
    const raw = text.slice(start, end).normalize('NFKC').toLowerCase();
    let stem = '';
    if (script === Script.Latin) {
      const word = raw.endsWith("'s") ? raw.slice(0, -2) : raw;
      if (!englishStopwords.has(raw) && word) {
        stem = stemEnglish(word);
        const padded = `<${word}>`;
        for (let i = 0; i + 3 <= padded.length; i++) sink(`g${padded.slice(i, i + 3)}`, featureWeights.gram);
      }
    } else if (script === Script.Hangul) {
      if (!koreanStopwords.has(raw)) {
        const stripped = stripKorean(raw).stem;
        if (!koreanStopwords.has(stripped)) stem = stripped;
        for (let i = 0; i + 2 <= stem.length; i++) sink(`g${stem.slice(i, i + 2)}`, featureWeights.gram);
      }
    } else if (script === Script.Han) {
      for (let i = 0; i + 2 <= raw.length; i++) sink(`g${raw.slice(i, i + 2)}`, featureWeights.gram);
      stem = raw.length <= 4 ? raw : '';
    } else stem = raw;
    if (!stem) continue;
    sink(`w${stem}`, featureWeights.word);
  }
  return words;
}
