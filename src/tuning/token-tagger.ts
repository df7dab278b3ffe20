/**
 * @module tuning/token-tagger
 * Token taggers: a head that labels every token of a sentence (BIO tags for named entities, PII,
 * product names…). Each token is one example of a logistic-regression head on frozen features of
 * its neighbourhood: either hashed features (the token's character n-grams, the tokens and word
 * shapes in a window around it, and the bigrams with its neighbours), or a provider's embedding
 * model: the token's embedding beside its window's (the window's tokens as one text), each
 * L2-normalised and scaled by 1/√2. Training is the shared loop (seeded,
 * early stopping, temperature calibration); sentences, not tokens, are split into training and
 * validation. Besides the token-level report, the validation set is scored at the span level
 * (CoNLL style: an entity counts when its type and both edges match). Texts are tokenised into
 * words (`word`) or characters (`char`, as KLUE NER annotates Korean).
 */
import {
  type CharNgramSpec,
  hash,
  type SparseVector,
  sparseFromCounts,
} from '../core/text/char-ngram-features.js';
import {
  type Calibration,
  calibratedPrediction,
  checkValidationLabels,
  type Encoded,
  invalidDataset,
  labelsOf,
} from './head-core.js';
import { type Embedder, encodeTexts, type FeatureSpec } from './head-features.js';
import {
  type HeadTrainingOptions,
  type HeadTrainingResult,
  headTrainingResult,
  TRAINING_DEFAULTS,
  type TrainExtra,
  trainEncoded,
} from './head-trainer.js';
import { logisticLogits, logisticNetwork } from './logistic-head.js';
import { seededRandom, shuffleInPlace } from './seeded-random.js';
import { bioSpans, type SpanReport, spanReport } from './span-metrics.js';

export { bioSpans, type SpanMetrics, type SpanReport, spanReport } from './span-metrics.js';

export interface TaggedSentence {
  tokens: string[];
  tags: string[];
}

export type Tokenization = 'word' | 'char';

export interface TaggerOptions extends HeadTrainingOptions {
  /** Neighbours on each side whose words and shapes are features. Default 2. */
  window?: number;
  /** How served texts are split into tokens. Default `word`. */
  tokenization?: Tokenization;
}

export interface TaggerModel {
  kind: 'tagger';
  labels: string[];
  features: FeatureSpec;
  window: number;
  tokenization: Tokenization;
  /** Row-major [feature][tag]. */
  weights: Float32Array;
  bias: Float32Array;
  calibration: Calibration;
  operatingPoint: null;
}

export interface Entity {
  type: string;
  text: string;
  /** Character offsets in the text, end exclusive. */
  start: number;
  end: number;
  /** Mean calibrated probability of the span's tags. */
  score: number;
}

export interface TaggedText {
  tokens: { text: string; start: number; end: number; tag: string; probability: number }[];
  entities: Entity[];
}

const TAGGER_DEFAULTS = {
  ...TRAINING_DEFAULTS,
  classWeights: 'none' as const,
  maxEpochs: 15,
  window: 2,
  tokenization: 'word' as Tokenization,
};

/** A coarse word shape: `Xxxx`, `dd`, `가가`, with runs collapsed. */
function shape(token: string): string {
  let out = '';
  for (const ch of token) {
    const s = /\p{Lu}/u.test(ch)
      ? 'X'
      : /\p{Ll}/u.test(ch)
        ? 'x'
        : /\p{N}/u.test(ch)
          ? 'd'
          : /[\u3131-\u318e\uac00-\ud7a3]/u.test(ch)
            ? '가'
            : /\p{L}/u.test(ch)
              ? 'L'
              : ch;
    if (!out.endsWith(s)) out += s;
  }
  return out;
}

/** The hashed features of token `i` of a sentence. */
export function tokenFeatures(
  tokens: string[],
  i: number,
  spec: CharNgramSpec,
  window: number,
): SparseVector {
  const mask = spec.dimensions - 1;
  const counts = new Map<number, number>();
  const add = (key: string) => {
    const index = hash(key) & mask;
    counts.set(index, (counts.get(index) ?? 0) + 1);
  };
  const at = (j: number) => (j < 0 ? '<s>' : j >= tokens.length ? '</s>' : (tokens[j] as string));
  const word = (j: number) => at(j).normalize('NFC').toLowerCase();
  const chars = Array.from(` ${word(i)} `);
  for (let n = spec.minN; n <= spec.maxN; n++) {
    for (let c = 0; c + n <= chars.length; c++) add(`c${n}:${chars.slice(c, c + n).join('')}`);
  }
  add(`s0:${shape(at(i))}`);
  for (let d = -window; d <= window; d++) {
    add(`w${d}:${word(i + d)}`);
    if (d !== 0) add(`s${d}:${shape(at(i + d))}`);
  }
  add(`b-1:${word(i - 1)}|${word(i)}`);
  add(`b+1:${word(i)}|${word(i + 1)}`);
  return sparseFromCounts(counts);
}

function checkSentences(sentences: TaggedSentence[], path: string): void {
  sentences.forEach((s, i) => {
    if (s.tokens.length !== s.tags.length) {
      throw invalidDataset(
        `Sentence ${i + 1} has ${s.tokens.length} tokens and ${s.tags.length} tags.`,
        `${path}[${i}]`,
        'length_mismatch',
      );
    }
  });
}

const flat = (sentences: TaggedSentence[]) =>
  sentences.flatMap((s) => s.tags.map((label, i) => ({ text: s.tokens[i] as string, label })));

/** The text of token `i`'s window: its neighbours within `window` on each side, and itself. */
const windowText = (tokens: string[], i: number, window: number) =>
  tokens.slice(Math.max(0, i - window), i + window + 1).join(' ');

/** The input size of a tagger's network: the hashing space, or two embeddings side by side. */
export const taggerDimensions = (spec: FeatureSpec) =>
  spec.kind === 'char-ngram' ? spec.dimensions : 2 * spec.dimensions;

/**
 * Each token's features, sentence by sentence. Embedding features embed every distinct token and
 * window text once (an embedding spec learns its dimensions from the first batch).
 */
export async function encodeSentences(
  sentences: string[][],
  spec: FeatureSpec,
  window: number,
  embedder?: Embedder,
  signal?: AbortSignal,
): Promise<SparseVector[][]> {
  if (spec.kind === 'char-ngram') {
    return sentences.map((tokens) => tokens.map((_, i) => tokenFeatures(tokens, i, spec, window)));
  }
  const texts = [
    ...new Set(sentences.flatMap((tokens) => tokens.flatMap((t, i) => [t, windowText(tokens, i, window)]))),
  ];
  const vectors = await encodeTexts(texts, spec, embedder, signal);
  const byText = new Map(texts.map((text, k) => [text, vectors[k] as SparseVector]));
  const d = spec.dimensions;
  return sentences.map((tokens) =>
    tokens.map((token, i) => {
      const a = byText.get(token) as SparseVector;
      const b = byText.get(windowText(tokens, i, window)) as SparseVector;
      const indices = new Uint32Array(a.indices.length + b.indices.length);
      const values = new Float32Array(indices.length);
      indices.set(a.indices);
      indices.set(
        b.indices.map((index) => index + d),
        a.indices.length,
      );
      values.set(a.values.map((v) => v * Math.SQRT1_2));
      values.set(
        b.values.map((v) => v * Math.SQRT1_2),
        a.indices.length,
      );
      return { indices, values };
    }),
  );
}

/** Tags of a sentence's encoded tokens with their calibrated probabilities. */
function tagVectors(model: TaggerModel, vectors: SparseVector[]): { tag: string; probability: number }[] {
  return vectors.map((x) => {
    const p = calibratedPrediction(model, logisticLogits(model, x));
    return { tag: p.label, probability: p.scores[0]?.probability ?? 0 };
  });
}

/**
 * Tags of one tokenised sentence with their calibrated probabilities (an embedding tagger embeds
 * through `embedder`, the registry's).
 */
export async function tagTokens(
  model: TaggerModel,
  tokens: string[],
  embedder?: Embedder,
  signal?: AbortSignal,
): Promise<{ tag: string; probability: number }[]> {
  // The spec is copied: encoding must check against the head's dimensions, not relearn them.
  const [vectors] = await encodeSentences([tokens], { ...model.features }, model.window, embedder, signal);
  return tagVectors(model, vectors ?? []);
}

export async function trainTagger(
  sentences: TaggedSentence[],
  features: FeatureSpec,
  options: TaggerOptions = {},
  extra: Pick<TrainExtra, 'onEpoch' | 'signal' | 'embedder'> & {
    validation?: TaggedSentence[] | undefined;
  } = {},
): Promise<HeadTrainingResult<TaggerModel> & { spans: SpanReport }> {
  const hp = { ...TAGGER_DEFAULTS, ...options, positiveLabel: null, maxFalsePositiveRate: null };
  checkSentences(sentences, 'examples');
  const labels = labelsOf(flat(sentences), null);
  const random = seededRandom(hp.seed);
  let train: TaggedSentence[];
  let validation: TaggedSentence[];
  if (extra.validation) {
    checkSentences(extra.validation, 'validation');
    checkValidationLabels(labels, flat(extra.validation));
    train = sentences;
    validation = extra.validation;
  } else {
    if (sentences.length < 2) {
      throw invalidDataset(
        'A tagger needs at least two sentences to hold one out.',
        'examples',
        'too_few_sentences',
      );
    }
    const shuffled = shuffleInPlace([...sentences], random);
    const held = Math.min(
      shuffled.length - 1,
      Math.max(1, Math.round(shuffled.length * hp.validationFraction)),
    );
    validation = shuffled.slice(0, held);
    train = shuffled.slice(held);
  }
  const index = new Map(labels.map((l, i) => [l, i]));
  // Training and validation tokens encoded together: an embedding model is asked once per text.
  const vectors = await encodeSentences(
    [...train, ...validation].map((s) => s.tokens),
    features,
    hp.window,
    extra.embedder,
    extra.signal,
  );
  const trainVectors = vectors.slice(0, train.length);
  const validationVectors = vectors.slice(train.length);
  const encode = (items: TaggedSentence[], encoded: SparseVector[][]): Encoded[] =>
    items.flatMap((s, k) =>
      s.tokens.map((_, i) => ({
        x: encoded[k]?.[i] as SparseVector,
        // A validation tag unknown to training was refused above; a split keeps to training's tags.
        y: index.get(s.tags[i] as string) ?? 0,
      })),
    );
  const trained = await trainEncoded(
    labels,
    shuffleInPlace(encode(train, trainVectors), random),
    encode(validation, validationVectors),
    taggerDimensions(features),
    hp,
    extra,
    random,
    (k, dimensions) => logisticNetwork(k, dimensions),
  );
  const result = headTrainingResult('tagger', trained, features, hp, {
    window: hp.window,
    tokenization: hp.tokenization,
  });
  const model: TaggerModel = { ...result.model, features, operatingPoint: null };
  const spans = spanReport(
    validation.map((s) => s.tags),
    validationVectors.map((encoded) => tagVectors(model, encoded).map((t) => t.tag)),
  );
  return { ...result, model, spans };
}

/** Splits a text into tokens with character offsets. */
export function tokenize(
  text: string,
  tokenization: Tokenization,
): { text: string; start: number; end: number }[] {
  const out: { text: string; start: number; end: number }[] = [];
  if (tokenization === 'char') {
    let at = 0;
    for (const ch of text) {
      out.push({ text: ch, start: at, end: at + ch.length });
      at += ch.length;
    }
    return out;
  }
  for (const m of text.matchAll(/[\p{L}\p{M}\p{N}_'’-]+|[^\s\p{L}\p{M}\p{N}]/gu)) {
    out.push({ text: m[0], start: m.index, end: m.index + m[0].length });
  }
  return out;
}

/** Tags a text: each token's tag and the entities they make. */
export async function tagText(
  model: TaggerModel,
  text: string,
  embedder?: Embedder,
  signal?: AbortSignal,
): Promise<TaggedText> {
  const tokens = tokenize(text, model.tokenization);
  const tags = await tagTokens(
    model,
    tokens.map((t) => t.text),
    embedder,
    signal,
  );
  const tagged = tokens.map((t, i) => ({ ...t, ...(tags[i] as { tag: string; probability: number }) }));
  const entities = bioSpans(tags.map((t) => t.tag)).map((span) => {
    const first = tagged[span.start] as (typeof tagged)[number];
    const last = tagged[span.end - 1] as (typeof tagged)[number];
    const inside = tagged.slice(span.start, span.end);
    return {
      type: span.type,
      text: text.slice(first.start, last.end),
      start: first.start,
      end: last.end,
      score: inside.reduce((sum, t) => sum + t.probability, 0) / inside.length,
    };
  });
  return { tokens: tagged, entities };
}
