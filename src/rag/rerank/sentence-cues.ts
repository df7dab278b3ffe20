/**
 * @module rag/rerank/sentence-cues
 * More signals for the lexical reranker, each scaled to 0–1, all about where in a candidate the
 * query's words sit and what the question asks for:
 * - `window3`: the IDF-weighted share of the query's character bigrams in the best three adjacent
 *   sentences (an answer and its context);
 * - `density`: the best sentence's bigram share, discounted for long sentences (a short sentence
 *   holding the query's words is more likely the answer's than a long one that mentions them);
 * - `run`: the longest run of the query's character trigrams, in the query's order, inside one
 *   sentence, over the query's trigrams (a phrase of the question repeated verbatim);
 * - `missing`: negative evidence: the highest IDF among the query's terms the candidate lacks,
 *   over the highest IDF among the query's terms (1: its rarest term is absent);
 * - `rare`: the rarest query term found among the candidates sits in this candidate's best
 *   sentence (1), elsewhere in it (0.5), or not at all (0);
 * - `lead`: the query's IDF-weighted term share in the title: a first line of at most 100
 *   characters followed by more text (0 for a candidate without one);
 * - `answerType`: the question asks where, who or when, and the best sentence holds something of
 *   that kind (a place name's suffix, a name in hanja or capitals, a year).
 */

/** What the cues need of an analysed candidate (lexical-reranker.ts computes it once, cached). */
export interface CueDocument {
  /** The sentences' raw text. */
  parts: string[];
  /** Whether the first part is a title line (short, ended by a line break, more text after it). */
  titled: boolean;
  counts: Map<string, number>;
  sentences: Set<string>[];
  bigrams: Set<string>[];
  grams: Set<string>[];
}

/** What the cues need of the query, with inverse document frequencies over the candidates. */
export interface CueQuery {
  text: string;
  terms: string[];
  idf: Map<string, number>;
  bigrams: string[];
  bigramIdf: Map<string, number>;
  /** The query's character trigrams in reading order, one list per word. */
  wordGrams: string[][];
}

export interface SentenceCues {
  window3: number;
  density: number;
  run: number;
  missing: number;
  rare: number;
  lead: number;
  answerType: number;
}

export const noCues: SentenceCues = {
  window3: 0,
  density: 0,
  run: 0,
  missing: 0,
  rare: 0,
  lead: 0,
  answerType: 0,
};

const asksWhere =
  /\b(where|which (country|city|state|region|place))\b|어디|어느 (곳|지역|나라|도시|국가|지방)/iu;
const asksWho = /\b(who|whom|whose)\b|누구|누가|인물|사람은|사람의 이름/iu;
const asksWhen = /\b(when|what year|which year|in what year)\b|언제|몇 년|몇년|연도|년도/iu;
const place =
  /[가-힣]{1,8}(시|도|군|구|국|주|섬|성|항|읍|면|리|강|산|만)(에서|에|의|으로|로|은|는|이|가|을|를|과|와)?(?=[\s,.)]|$)|\b(?:in|at|from|to) [A-Z][a-z]+/u;
const person =
  /\p{Script=Han}{2,4}|[A-Z][a-z]+ [A-Z][a-z]+|[가-힣]{2,4}(은|는|이|가)? [가-힣]+(했|하였|였|이었)/u;
const year = /\d{3,4}\s*년|\b(1[0-9]|20)\d{2}\b/u;

/** Whether a text opens with a title line: at most 100 characters, a line break, then more text. */
export const hasTitleLine = (text: string): boolean => /^[^\n]{1,100}\n+\s*\S/u.test(text);

/** The query's character trigrams in reading order, per word (a shorter word whole), as `charGrams` cuts them. */
export function wordTrigrams(text: string): string[][] {
  const compact = text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ');
  const words: string[][] = [];
  for (const word of compact.split(' ')) {
    if (!word) continue;
    const grams: string[] = [];
    if (word.length < 3) grams.push(word);
    for (let i = 0; i + 3 <= word.length; i++) grams.push(word.slice(i, i + 3));
    words.push(grams);
  }
  return words;
}

/** The cue kind the question asks for, if any. */
export function answerKind(query: string): RegExp | undefined {
  if (asksWhere.test(query)) return place;
  if (asksWhen.test(query)) return year;
  if (asksWho.test(query)) return person;
  return undefined;
}

/** The rarest query term present in some candidate (highest IDF among those with df > 0). */
export function rarestPresent(query: CueQuery, docs: CueDocument[]): string | undefined {
  let rarest: string | undefined;
  for (const term of query.terms) {
    if (term.includes('_')) continue;
    if (!docs.some((doc) => doc.counts.has(term))) continue;
    if (rarest === undefined || query.idf.get(term)! > query.idf.get(rarest)!) rarest = term;
  }
  return rarest;
}

function bigramShare(query: CueQuery, grams: Set<string>, total: number): number {
  let covered = 0;
  for (const gram of query.bigrams) if (grams.has(gram)) covered += query.bigramIdf.get(gram)!;
  return covered / total;
}

/** The cues of one candidate; `rarest` and `kind` come from `rarestPresent` and `answerKind`. */
export function sentenceCues(
  query: CueQuery,
  doc: CueDocument,
  rarest: string | undefined,
  kind: RegExp | undefined,
): SentenceCues {
  if (doc.parts.length === 0) return noCues;
  const totalBigramIdf = query.bigrams.reduce((sum, gram) => sum + query.bigramIdf.get(gram)!, 0) || 1;
  const shares = doc.bigrams.map((grams) => bigramShare(query, grams, totalBigramIdf));
  let best = 0;
  let density = 0;
  for (let i = 0; i < shares.length; i++) {
    if (shares[i]! > shares[best]!) best = i;
    const discounted = shares[i]! * Math.sqrt(Math.min(1, 80 / Math.max(1, doc.parts[i]!.length)));
    if (discounted > density) density = discounted;
  }
  let window3 = 0;
  for (let i = 0; i < doc.bigrams.length; i++) {
    const [a, b, c] = [doc.bigrams[i]!, doc.bigrams[i + 1], doc.bigrams[i + 2]];
    let covered = 0;
    for (const gram of query.bigrams)
      if (a.has(gram) || b?.has(gram) || c?.has(gram)) covered += query.bigramIdf.get(gram)!;
    window3 = Math.max(window3, covered / totalBigramIdf);
    if (i + 3 >= doc.bigrams.length) break;
  }
  const queryGramCount = query.wordGrams.reduce((sum, grams) => sum + grams.length, 0) || 1;
  let run = 0;
  for (const grams of doc.grams) {
    for (const word of query.wordGrams) {
      let length = 0;
      for (const gram of word) {
        length = grams.has(gram) ? length + 1 : 0;
        if (length > run) run = length;
      }
    }
  }
  let maxIdf = 0;
  let missing = 0;
  let total = 0;
  let lead = 0;
  for (const term of query.terms) {
    const idf = query.idf.get(term)!;
    total += idf;
    if (doc.titled && doc.sentences[0]!.has(term)) lead += idf;
    if (term.includes('_')) continue;
    maxIdf = Math.max(maxIdf, idf);
    if (!doc.counts.has(term)) missing = Math.max(missing, idf);
  }
  const rare =
    rarest === undefined || !doc.counts.has(rarest) ? 0 : doc.sentences[best]!.has(rarest) ? 1 : 0.5;
  return {
    window3,
    density,
    run: run / queryGramCount,
    missing: maxIdf ? missing / maxIdf : 0,
    rare,
    lead: total ? lead / total : 0,
    answerType: kind?.test(doc.parts[best]!) ? 1 : 0,
  };
}
