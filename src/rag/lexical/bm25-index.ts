/**
 * @module rag/lexical/bm25-index
 * Keel's keyword index: Okapi BM25 over analysed terms, with weighted fields (a title counts more
 * than body text, BM25F-style), metadata filters, and add / replace / remove by id. Postings are
 * typed arrays in two segments, as in Lucene: a sealed compressed-sparse-row segment and a small
 * delta of recent additions, merged when the delta grows. Removed documents are tombstoned and
 * dropped at the next merge; until then they still count in document frequencies (as in Lucene).
 *
 * @example
 * const index = new Bm25Index();
 * index.add([{ id: 'c1', text: '서울은 대한민국의 수도이다.', metadata: { doc: 'd1' } }]);
 * index.search('대한민국 수도', { topK: 5 }); // [{ id: 'c1', score: … }]
 */

import { KeelError } from '../../core/errors.js';
import type { AnalyzerV1, LanguageCode } from '../../spec/analyzer.js';
import type {
  LexicalDocument,
  LexicalHit,
  LexicalIndexV1,
  LexicalSearchOptions,
  MetadataValue,
} from '../../spec/lexical-index.js';
import { createMultilingualAnalyzer } from '../analysis/analyzers.js';
import { matchesFilter } from '../metadata-filter.js';
import { TopK } from '../top-k.js';
import type { Bm25State } from './bm25-serialization.js';
import { decodeBm25State, encodeBm25State } from './bm25-serialization.js';
import {
  buildPostingLists,
  emptyPostings,
  ensureCapacity,
  type PostingLists,
  PostingTriples,
} from './growable.js';

export interface Bm25Options {
  /** Term-frequency saturation (default 0.9: bigram terms repeat within a chunk, so saturate early). */
  k1?: number;
  /** Length normalisation, 0–1 (default 0.75). */
  b?: number;
  analyzer?: AnalyzerV1;
  /** Weight of each extra field relative to the body (weight 1); default `{ title: 2 }`. */
  fieldWeights?: Record<string, number>;
}

export const languageCodes: readonly LanguageCode[] = ['und', 'ko', 'en', 'ja', 'zh'];

export class Bm25Index implements LexicalIndexV1 {
  readonly specificationVersion = 'v1' as const;
  readonly provider = 'bm25';
  readonly analyzer: AnalyzerV1;
  readonly k1: number;
  readonly b: number;
  readonly fieldWeights: Record<string, number>;

  #ids: (string | undefined)[] = [];
  #slotOf = new Map<string, number>();
  #metadata: (Record<string, MetadataValue> | undefined)[] = [];
  #lengths = new Float32Array(16);
  #alive = new Uint8Array(16);
  #languages = new Uint8Array(16);
  #live = 0;
  #totalLength = 0;

  #termIds = new Map<string, number>();
  #terms: string[] = [];
  #df = new Uint32Array(16);

  #main: PostingLists = emptyPostings();
  #delta = new PostingTriples();
  #deltaLists: PostingLists | undefined;
  #scores = new Float32Array(16);
  #touched = new Uint32Array(16);

  constructor(options: Bm25Options = {}) {
    this.analyzer = options.analyzer ?? createMultilingualAnalyzer();
    this.k1 = options.k1 ?? 0.9;
    this.b = options.b ?? 0.75;
    this.fieldWeights = options.fieldWeights ?? { title: 2 };
  }

  get size(): number {
    return this.#live;
  }

  /** Distinct terms seen (including those of removed documents until the next merge). */
  get termCount(): number {
    return this.#terms.length;
  }

  has(id: string): boolean {
    return this.#slotOf.has(id);
  }

  /** The language detected (or given) for a document. */
  languageOf(id: string): LanguageCode | undefined {
    const slot = this.#slotOf.get(id);
    return slot === undefined ? undefined : languageCodes[this.#languages[slot]!];
  }

  add(documents: readonly LexicalDocument[]): void {
    const counts = new Map<number, number>();
    for (const document of documents) {
      if (this.#slotOf.has(document.id)) this.remove([document.id]);
      const slot = this.#ids.length;
      counts.clear();
      let length = this.#count(this.analyzer.analyze(document.text), 1, counts);
      for (const [field, value] of Object.entries(document.fields ?? {})) {
        const weight = this.fieldWeights[field] ?? 1;
        if (weight > 0 && value) length += this.#count(this.analyzer.analyze(value), weight, counts);
      }
      this.#ids.push(document.id);
      this.#metadata.push(document.metadata);
      this.#slotOf.set(document.id, slot);
      this.#lengths = ensureCapacity(this.#lengths, slot + 1, Float32Array);
      this.#alive = ensureCapacity(this.#alive, slot + 1, Uint8Array);
      this.#languages = ensureCapacity(this.#languages, slot + 1, Uint8Array);
      this.#lengths[slot] = length;
      this.#alive[slot] = 1;
      const language = document.language ?? this.analyzer.detectLanguage(document.text).language;
      this.#languages[slot] = Math.max(0, languageCodes.indexOf(language));
      this.#live++;
      this.#totalLength += length;
      for (const [term, weight] of counts) {
        this.#delta.push(term, slot, weight);
        this.#df[term]!++;
      }
    }
    this.#deltaLists = undefined;
    if (this.#delta.length > Math.max(1 << 17, this.#main.docs.length / 4)) this.optimize();
  }

  #count(terms: string[], weight: number, counts: Map<number, number>): number {
    for (const term of terms) {
      let id = this.#termIds.get(term);
      if (id === undefined) {
        id = this.#terms.length;
        this.#terms.push(term);
        this.#termIds.set(term, id);
        this.#df = ensureCapacity(this.#df, id + 1, Uint32Array);
      }
      counts.set(id, (counts.get(id) ?? 0) + weight);
    }
    return terms.length * weight;
  }

  remove(ids: readonly string[]): number {
    let removed = 0;
    for (const id of ids) {
      const slot = this.#slotOf.get(id);
      if (slot === undefined) continue;
      this.#slotOf.delete(id);
      this.#alive[slot] = 0;
      this.#ids[slot] = undefined;
      this.#metadata[slot] = undefined;
      this.#totalLength -= this.#lengths[slot]!;
      this.#live--;
      removed++;
    }
    if (removed && this.#ids.length - this.#live > Math.max(1024, this.#ids.length / 4)) this.optimize();
    return removed;
  }

  /** Merges the delta into the sealed segment and drops removed documents (renumbering slots). */
  optimize(): void {
    const slots = this.#ids.length;
    const remap = new Uint32Array(slots);
    let next = 0;
    for (let slot = 0; slot < slots; slot++) if (this.#alive[slot]) remap[slot] = next++;
    const alive = this.#alive;
    this.#main = buildPostingLists(
      this.#terms.length,
      { lists: this.#main, triples: this.#delta },
      (doc) => alive[doc] === 1,
      (doc) => remap[doc]!,
    );
    this.#delta.clear();
    this.#deltaLists = undefined;
    if (next !== slots) {
      const ids: (string | undefined)[] = [];
      const metadata: (Record<string, MetadataValue> | undefined)[] = [];
      const lengths = new Float32Array(Math.max(16, next));
      const languages = new Uint8Array(Math.max(16, next));
      for (let slot = 0; slot < slots; slot++) {
        if (!alive[slot]) continue;
        const to = remap[slot]!;
        ids.push(this.#ids[slot]);
        metadata.push(this.#metadata[slot]);
        lengths[to] = this.#lengths[slot]!;
        languages[to] = this.#languages[slot]!;
      }
      this.#ids = ids;
      this.#metadata = metadata;
      this.#lengths = lengths;
      this.#languages = languages;
      this.#alive = new Uint8Array(Math.max(16, next)).fill(1, 0, next);
      this.#slotOf = new Map(ids.map((id, slot) => [id!, slot]));
    }
    // Exact document frequencies again, now that removed documents are gone.
    const df = new Uint32Array(Math.max(16, this.#terms.length));
    for (let t = 0; t < this.#terms.length; t++) df[t] = this.#main.offsets[t + 1]! - this.#main.offsets[t]!;
    this.#df = df;
  }

  search(query: string, options: LexicalSearchOptions = {}): LexicalHit[] {
    const topK = options.topK ?? 10;
    if (this.#live === 0 || topK <= 0) return [];
    const queryTerms = new Map<number, number>();
    for (const term of this.analyzer.analyze(query)) {
      const id = this.#termIds.get(term);
      if (id !== undefined) queryTerms.set(id, (queryTerms.get(id) ?? 0) + 1);
    }
    if (queryTerms.size === 0) return [];
    if (this.#delta.length && !this.#deltaLists) {
      this.#deltaLists = buildPostingLists(this.#terms.length, { triples: this.#delta }, () => true);
    }
    const slots = this.#ids.length;
    this.#scores = ensureCapacity(this.#scores, slots, Float32Array);
    this.#touched = ensureCapacity(this.#touched, slots, Uint32Array);
    const scores = this.#scores;
    const touched = this.#touched;
    const alive = this.#alive;
    const lengths = this.#lengths;
    let touchedCount = 0;
    const n = this.#live;
    const k1 = this.k1;
    const lengthScale = this.b / (this.#totalLength / n || 1);
    const constant = 1 - this.b;
    for (const [term, queryCount] of queryTerms) {
      const df = this.#df[term]!;
      if (df === 0) continue;
      const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5)) * queryCount * (k1 + 1);
      for (const lists of [this.#main, this.#deltaLists]) {
        if (!lists || term + 1 >= lists.offsets.length) continue;
        const end = lists.offsets[term + 1]!;
        for (let p = lists.offsets[term]!; p < end; p++) {
          const doc = lists.docs[p]!;
          if (!alive[doc]) continue;
          const tf = lists.weights[p]!;
          const gain = (idf * tf) / (tf + k1 * (constant + lengthScale * lengths[doc]!));
          if (scores[doc] === 0) touched[touchedCount++] = doc;
          scores[doc]! += gain;
        }
      }
    }
    const heap = new TopK(topK);
    const { filter, ids, minScore } = options;
    for (let i = 0; i < touchedCount; i++) {
      const doc = touched[i]!;
      const score = scores[doc]!;
      scores[doc] = 0;
      if (score <= heap.threshold || (minScore !== undefined && score < minScore)) continue;
      if (ids && !ids.has(this.#ids[doc]!)) continue;
      if (filter && !matchesFilter(this.#metadata[doc], filter)) continue;
      heap.push(doc, score);
    }
    return heap.sorted().map(({ index, score }) => ({ id: this.#ids[index]!, score }));
  }

  /** The state to serialise, merged first so it is one segment without tombstones. */
  exportState(): Bm25State {
    if (this.#delta.length || this.#live !== this.#ids.length) this.optimize();
    return {
      k1: this.k1,
      b: this.b,
      fieldWeights: this.fieldWeights,
      ids: this.#ids,
      metadata: this.#metadata,
      terms: this.#terms,
      lengths: this.#lengths.subarray(0, this.#ids.length),
      languages: this.#languages.subarray(0, this.#ids.length),
      postings: this.#main,
    };
  }

  /** Replaces this (empty) index's contents with a serialised state. */
  importState(state: Bm25State): void {
    const count = state.ids.length;
    this.#ids = [...state.ids];
    this.#metadata = [...state.metadata];
    this.#slotOf = new Map(state.ids.map((id, slot) => [id!, slot]));
    this.#lengths = ensureCapacity(new Float32Array(state.lengths), 16, Float32Array);
    this.#languages = ensureCapacity(new Uint8Array(state.languages), 16, Uint8Array);
    this.#alive = new Uint8Array(Math.max(16, count)).fill(1, 0, count);
    this.#live = count;
    this.#totalLength = state.lengths.reduce((sum, length) => sum + length, 0);
    this.#terms = [...state.terms];
    this.#termIds = new Map(state.terms.map((term, id) => [term, id]));
    this.#main = state.postings;
    this.#delta.clear();
    this.#deltaLists = undefined;
    const df = new Uint32Array(Math.max(16, state.terms.length));
    for (let t = 0; t < state.terms.length; t++)
      df[t] = state.postings.offsets[t + 1]! - state.postings.offsets[t]!;
    this.#df = df;
  }

  /**
   * A compact binary snapshot. `meta` (e.g. a manifest of the database rows it was built from) is
   * stored in the header and can be read back cheaply with `readBm25Meta` to decide whether the
   * snapshot is stale.
   */
  serialize(meta?: Record<string, unknown>): Uint8Array {
    return encodeBm25State(this.exportState(), this.analyzer.name, meta);
  }

  /** Restores a snapshot; `unprocessable` when it is corrupt or was built by another analyser. */
  static deserialize(
    bytes: Uint8Array,
    options: Omit<Bm25Options, 'k1' | 'b' | 'fieldWeights'> = {},
  ): Bm25Index {
    const { state, analyzer } = decodeBm25State(bytes);
    const index = new Bm25Index({ ...options, k1: state.k1, b: state.b, fieldWeights: state.fieldWeights });
    if (index.analyzer.name !== analyzer) {
      throw new KeelError(
        'unprocessable',
        `The keyword index was built with analyser "${analyzer}", not "${index.analyzer.name}"; rebuild it from the chunks.`,
      );
    }
    index.importState(state);
    return index;
  }
}
