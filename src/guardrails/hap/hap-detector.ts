/**
 * @module guardrails/hap/hap-detector
 * HAP (hate, abuse, profanity) scored per sentence, in Korean and English. Each sentence is
 * matched against the lexicons — on the normalised text when it shows signs of evasion — and
 * checked for identity-targeted hate; a span per category found covers the sentence. Slurs used
 * as homonyms or reclaimed, negated statements and counter-speech do not count as hate.
 */
import type { DetectOptions, Span, SyncDetectorV1 } from '../../spec/detector.js';
import { foldText, isWhitespace, looksEvasive, normalizeForMatching } from '../text/normalize.js';
import { sentenceAt } from '../text/sentences.js';
import { englishHateKeys, englishIdentityKeys, repairSpelling } from './fuzzy.js';
import {
  identityHateEn,
  identityHateKo,
  identityPatternEn,
  identityPatternKo,
  predicatePatternEn,
} from './identity-hate.js';
import {
  englishHomonymContexts,
  englishProfanity,
  englishReclaimed,
  englishSlurs,
  type LexiconEntry,
} from './lexicon-en.js';
import { koreanLexicon, notInsultChung } from './lexicon-ko.js';
import { spacedProfanityStart, TriggerScanner } from './triggers.js';

export const HAP_DETECTOR_VERSION = '1.0.0';
export const hapCategories = ['hate', 'abuse', 'profanity'] as const;
export type HapCategory = (typeof hapCategories)[number];

interface CompiledLexicon {
  pattern: RegExp;
  entries: readonly LexiconEntry[];
}

function compile(entries: readonly LexiconEntry[], wordBounded: boolean): CompiledLexicon {
  const body = entries.map((entry) => `(${entry.pattern})`).join('|');
  return {
    pattern: new RegExp(
      wordBounded ? `(?<![\\p{L}\\p{N}])(?:${body})(?![\\p{L}\\p{N}])` : body,
      wordBounded ? 'giu' : 'gu',
    ),
    entries,
  };
}

const english = compile([...englishProfanity, ...englishSlurs], true);
const slurCount = englishSlurs.length;
const korean = compile(koreanLexicon, false);
const positiveEn =
  /\b(?:love|proud|amazing|great|awesome|support|respect|admire|beautiful|brilliant|fantastic)\b/i;
const singleSyllables =
  /(?<![\u3131-\u318e\uac00-\ud7a3])[\u3131-\u318e\uac00-\ud7a3](?:[\s.*_\-~·,]+[\u3131-\u318e\uac00-\ud7a3](?![\u3131-\u318e\uac00-\ud7a3]))+/g;
const secondPerson = /\b(?:you|your|u|ur|ya)\b|너|니가|네가|당신|너희/;

interface Scores {
  hate: number;
  abuse: number;
  profanity: number;
  reasons: Set<string>;
}

/** "곤충", "보충", "기생충": words that end in 충 without being the "-충" insult. */
function isOrdinaryChung(stem: string): boolean {
  return notInsultChung.has(stem.slice(-2)) || notInsultChung.has(stem.slice(-3));
}

function lexiconMatches(
  view: string,
  lexicon: CompiledLexicon,
  scores: Scores,
  onSlur?: (word: string) => 'slur' | 'homonym' | 'reclaimed',
): void {
  lexicon.pattern.lastIndex = 0;
  for (let match = lexicon.pattern.exec(view); match; match = lexicon.pattern.exec(view)) {
    const group = match.findIndex((value, index) => index > 0 && value !== undefined) - 1;
    const entry = lexicon.entries[group];
    if (!entry) continue;
    const word = match[0];
    if (
      lexicon === korean &&
      /충(?:들|이|은|는|아)?$/.test(word) &&
      isOrdinaryChung(word.replace(/(?:들|이|은|는|아)$/, ''))
    )
      continue;
    let category = entry.category;
    if (onSlur && group >= englishProfanity.length && group < englishProfanity.length + slurCount) {
      const verdict = onSlur(word);
      // A homonym ("a dyke by the sea") is no match at all; a reclaimed slur is still coarse language.
      if (verdict === 'homonym') continue;
      if (verdict === 'reclaimed') category = 'profanity';
    }
    if (entry.score > scores[category]) scores[category] = entry.score;
    scores.reasons.add(`lexicon_${category}`);
  }
}

/**
 * Whether a lexicon's scan of the whole text matched in this sentence. When the sentence is read
 * as it is (not normalised), a lexicon that matched nowhere in it need not run again.
 */
interface LexiconHints {
  english: boolean;
  korean: boolean;
}

const asciiLower = (text: string) => text.replace(/[A-Z]+/g, (letters) => letters.toLowerCase());

function scoreSentence(
  raw: string,
  previousIdentity: boolean,
  hints?: LexiconHints,
): { scores: Scores; mentionsIdentity: boolean } {
  const scores: Scores = { hate: 0, abuse: 0, profanity: 0, reasons: new Set() };
  const evasive = looksEvasive(raw);
  const view = evasive ? normalizeForMatching(raw) : foldText(raw);
  if (evasive && view !== raw.toLowerCase()) scores.reasons.add('normalised');
  const hasHangul = /[\u3131-\u318e\uac00-\ud7a3]/.test(view);
  const hasLatin = /[a-z]/.test(view);
  // The English lexicon ignores case; the Korean one has Latin letters in a few entries ("c발").
  const skipEnglish = !evasive && hints?.english === false && view === asciiLower(raw);
  const skipKorean = !evasive && hints?.korean === false && view === raw;

  if (hasLatin && !skipEnglish) {
    lexiconMatches(view, english, scores, () => {
      if (englishHomonymContexts.some((context) => context.test(view))) {
        scores.reasons.add('homonym');
        return 'homonym';
      }
      if (englishReclaimed.some((context) => context.test(view)) && !predicatePatternEn.test(view)) {
        scores.reasons.add('reclaimed');
        return 'reclaimed';
      }
      return 'slur';
    });
  }
  if (hasLatin && view.includes('*')) maskedProfanity(view, scores);
  if (hasHangul) {
    if (!skipKorean) lexiconMatches(view, korean, scores);
    // Symbols and digits between syllables ("씨.발", "병1신") are dropped for a second look.
    if (
      /[\u3131-\u318e\uac00-\ud7a3][^\s\u3131-\u318e\uac00-\ud7a3]+[\u3131-\u318e\uac00-\ud7a3]/.test(view)
    ) {
      const compact = view.replace(/[^\u3131-\u318e\uac00-\ud7a3\s]+/g, '');
      if (compact !== view) lexiconMatches(compact, korean, scores);
    }
    // Single syllables pulled apart ("씨 발", "ㅅ ㅂ") are joined; longer words are left alone.
    if (spacedProfanityStart.test(view)) {
      const joined = view.replace(singleSyllables, (run) =>
        run.replace(/[^\u3131-\u318e\uac00-\ud7a3]+/g, ''),
      );
      if (joined !== view) lexiconMatches(joined, korean, scores);
    }
  }

  let mentionsIdentity = false;
  if (hasLatin) {
    mentionsIdentity = identityPatternEn.test(view);
    let result = identityHateEn(view, previousIdentity);
    // Misspellings are repaired only in sentence-sized text (slurs and threats are short).
    if (
      !result &&
      view.length <= 300 &&
      (mentionsIdentity || previousIdentity || predicatePatternEn.test(view))
    ) {
      const repaired = repairSpelling(
        view,
        mentionsIdentity || previousIdentity ? englishHateKeys : englishIdentityKeys,
      );
      if (repaired) {
        result = identityHateEn(repaired, previousIdentity);
        if (result && result.score > 0.5) result.reasons.push('misspelt');
      }
    }
    applyIdentity(result, scores);
  }
  if (hasHangul) applyIdentity(identityHateKo(view), scores);
  // Swearing at a named group ("you fucking women") is hate even without a hateful predicate.
  if (
    mentionsIdentity &&
    scores.hate === 0 &&
    (scores.profanity >= 0.6 || scores.abuse >= 0.55) &&
    !positiveEn.test(view) &&
    !scores.reasons.has('negated') &&
    !scores.reasons.has('counter_speech') &&
    !scores.reasons.has('quoted')
  ) {
    scores.hate = 0.8;
    scores.reasons.add('profanity_at_group');
  }

  // Insults aimed at the reader are abuse proper, not idle swearing.
  if ((scores.abuse > 0 || scores.profanity > 0.6) && secondPerson.test(view)) {
    scores.abuse = Math.min(1, Math.max(scores.abuse, scores.profanity) + 0.1);
    scores.reasons.add('directed');
  }
  return { scores, mentionsIdentity };
}

// Profanity written with asterisks for letters ("f*ck", "sh**", "b*tch"): the visible letters and
// the word's length must fit one of these.
const maskableWords = [
  'fuck',
  'fucking',
  'fucker',
  'motherfucker',
  'shit',
  'bitch',
  'cunt',
  'dick',
  'asshole',
  'bastard',
  'whore',
  'slut',
  'pussy',
  'damn',
];

function maskedProfanity(view: string, scores: Scores): void {
  for (const token of view.match(/[a-z][a-z*]*\*[a-z*]*/g) ?? []) {
    const shape = new RegExp(`^${token.replace(/\*/g, '[a-z]')}$`);
    if (maskableWords.some((word) => shape.test(word))) {
      scores.profanity = Math.max(scores.profanity, 0.7);
      scores.reasons.add('masked');
      scores.reasons.add('lexicon_profanity');
    }
  }
}

function applyIdentity(result: { score: number; reasons: string[] } | undefined, scores: Scores): void {
  if (!result) return;
  for (const reason of result.reasons) scores.reasons.add(reason);
  if (result.score <= 0.1) {
    // Counter-speech quoting hate is not hate; a slur or insult inside the quotation does not count either.
    if (scores.hate > 0) scores.hate = Math.min(scores.hate, 0.1);
    if (scores.abuse > 0) scores.abuse = Math.min(scores.abuse, 0.3);
    return;
  }
  if (result.score > scores.hate) scores.hate = result.score;
  // Profanity aimed at a group is part of the hate.
  if (scores.profanity > 0) scores.hate = Math.max(scores.hate, 0.85);
}

// What a sentence needs for HAP to score it: a lexicon word, a group name, a hateful predicate
// (the signs of evasion are the scanner's own).
const triggers = new TriggerScanner([
  { pattern: english.pattern, wordStart: true },
  { pattern: korean.pattern },
  { pattern: new RegExp(identityPatternEn.source, 'gi'), wordStart: true },
  { pattern: new RegExp(identityPatternKo.source, 'g') },
  { pattern: new RegExp(predicatePatternEn.source, 'gi'), wordStart: true },
]);

function onlySpace(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (!isWhitespace(text.charCodeAt(i))) return false;
  return true;
}

/** Whether ascending offsets fall in ascending ranges, asked in order. */
class Cursor {
  private index = 0;
  constructor(private readonly offsets: readonly number[]) {}

  within(start: number, end: number): boolean {
    while (this.index < this.offsets.length && this.offsets[this.index]! < start) this.index++;
    return this.index < this.offsets.length && this.offsets[this.index]! < end;
  }
}

export function createHapDetector(): SyncDetectorV1 {
  return {
    specificationVersion: 'v1',
    name: 'hap',
    version: HAP_DETECTOR_VERSION,
    kind: 'hap',
    entityTypes: hapCategories,
    detect(text: string, options: DetectOptions = {}): Span[] {
      const spans: Span[] = [];
      let previousIdentity = false;
      const { all: candidates, byTrigger } = triggers.matches(text, options.scope);
      const englishLexicon = new Cursor(byTrigger[0]!);
      const koreanLexicon = new Cursor(byTrigger[1]!);
      // A sentence with no lexicon word, group name, hateful predicate or sign of evasion in it
      // cannot score: only the sentences holding a candidate are scored (found from the
      // candidates, not by splitting all the text), and one between them names no group for the
      // next.
      let floor = 0;
      let scoredEnd = -1;
      for (const at of candidates) {
        if (at < floor) continue;
        const { range, next } = sentenceAt(text, at, floor);
        floor = next;
        if (!range) continue;
        if (scoredEnd < 0 || !onlySpace(text, scoredEnd, range.start)) previousIdentity = false;
        scoredEnd = range.end;
        const raw = text.slice(range.start, range.end);
        const { scores, mentionsIdentity } = scoreSentence(raw, previousIdentity, {
          english: englishLexicon.within(range.start, range.end),
          korean: koreanLexicon.within(range.start, range.end),
        });
        previousIdentity = mentionsIdentity;
        // Profanity that only swears, with identity-free hate cleared, stays profanity.
        if (scores.hate > 0 && scores.hate < 0.3) scores.hate = 0;
        for (const category of hapCategories) {
          const score = scores[category];
          if (score < 0.3) continue;
          spans.push({
            type: category,
            start: range.start,
            end: range.end,
            score: Math.round(score * 1000) / 1000,
            detector: 'hap',
            version: HAP_DETECTOR_VERSION,
            reasons: [...scores.reasons],
            ...(options.includeText ? { text: raw } : {}),
          });
        }
      }
      return spans;
    },
  };
}
