/**
 * @module extraction/lexical-classifier
 * Keel's built-in document classifier (`keel:lexical-classifier`): no model, works offline. Each
 * document type's profile is the words of its name (weighted 3), its description and its field
 * names and descriptions; a type's score is the IDF-weighted share of its profile found in the
 * document, where the IDF is taken across the taxonomy (words every type shares say little). The
 * best type wins when its score clears a threshold and beats the runner-up; otherwise the document
 * is not classified. Korean words are matched on character bigrams as well, so particles and
 * endings attached to a word do not hide it.
 */
import { type DocumentSchema, key } from './classification-schemas.js';

export const LEXICAL_CLASSIFIER = 'keel:lexical-classifier';

export interface ClassifierVerdict {
  /** The chosen type (its name as the taxonomy spells it), or null when none fits. */
  document_type: string | null;
  /** Scores per type, best first (0–1 for the lexical classifier, probabilities for a head). */
  scores: { document_type: string; score: number }[];
}

/** Below this share of a type's weighted profile, the document is not that type. */
export const LEXICAL_THRESHOLD = 0.2;

const stopwords = new Set(
  (
    'a an and are as at be by for from has have in is it its of on or that the this to was were with ' +
    'which who what when where will can may one two document documents such other etc e g'
  ).split(' '),
);

const hangul = /\p{Script=Hangul}/u;

/** Words (lowercased, NFKC) and, for Hangul words, their character bigrams. */
export function lexicalTerms(text: string): string[] {
  const words = text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/_/g, ' ')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length > 1 && !stopwords.has(word));
  const terms: string[] = [];
  for (const word of words) {
    if (hangul.test(word)) {
      const chars = Array.from(word);
      for (let i = 0; i + 2 <= chars.length; i++) terms.push(chars.slice(i, i + 2).join(''));
      if (chars.length <= 2) terms.push(word);
    } else {
      terms.push(word);
      // Plural and singular meet: "invoices" matches "invoice".
      if (word.length > 3 && word.endsWith('s')) terms.push(word.slice(0, -1));
    }
  }
  return terms;
}

function profile(schema: DocumentSchema): Map<string, number> {
  const weights = new Map<string, number>();
  const add = (text: string, weight: number) => {
    for (const term of lexicalTerms(text)) weights.set(term, Math.max(weights.get(term) ?? 0, weight));
  };
  add(schema.document_type, 3);
  add(schema.document_description, 1);
  for (const [name, field] of Object.entries(schema.fields ?? {})) {
    add(name, 1);
    const description = (field as { description?: unknown } | null)?.description;
    if (typeof description === 'string') add(description, 0.5);
  }
  return weights;
}

/** Classifies a document's text into one type of the taxonomy, or none. */
export function classifyLexically(text: string, taxonomy: readonly DocumentSchema[]): ClassifierVerdict {
  const present = new Set(lexicalTerms(text));
  const profiles = taxonomy.map(profile);
  const df = new Map<string, number>();
  for (const terms of profiles) for (const term of terms.keys()) df.set(term, (df.get(term) ?? 0) + 1);
  const n = taxonomy.length;
  const scores = taxonomy.map((schema, i) => {
    let found = 0;
    let total = 0;
    for (const [term, weight] of profiles[i] as Map<string, number>) {
      const idf = Math.log(1 + n / (df.get(term) ?? 1));
      total += weight * idf;
      if (present.has(term)) found += weight * idf;
    }
    return { document_type: schema.document_type, score: total > 0 ? found / total : 0 };
  });
  scores.sort((a, b) => b.score - a.score || key(a.document_type).localeCompare(key(b.document_type)));
  const best = scores[0];
  const runnerUp = scores[1]?.score ?? 0;
  const decided = best && best.score >= LEXICAL_THRESHOLD && best.score > runnerUp;
  return { document_type: decided ? best.document_type : null, scores };
}
