/**
 * @module rag/lexical/growable
 * Typed arrays that grow by doubling: postings and per-document statistics live in these rather
 * than in one JavaScript object per posting, which is what keeps the keyword index small.
 */

type TypedArray = Uint8Array | Uint32Array | Float32Array;
type Constructor<T extends TypedArray> = { new (length: number): T };

/** Returns `array` or a larger copy that can hold `length` elements. */
export function ensureCapacity<T extends TypedArray>(array: T, length: number, make: Constructor<T>): T {
  if (length <= array.length) return array;
  let capacity = Math.max(16, array.length);
  while (capacity < length) capacity *= 2;
  const grown = new make(capacity);
  grown.set(array);
  return grown;
}

/** Postings in insertion order: (term, document, weight) triples. */
export class PostingTriples {
  terms = new Uint32Array(1024);
  docs = new Uint32Array(1024);
  weights = new Float32Array(1024);
  length = 0;

  push(term: number, doc: number, weight: number): void {
    if (this.length === this.terms.length) {
      this.terms = ensureCapacity(this.terms, this.length + 1, Uint32Array);
      this.docs = ensureCapacity(this.docs, this.length + 1, Uint32Array);
      this.weights = ensureCapacity(this.weights, this.length + 1, Float32Array);
    }
    this.terms[this.length] = term;
    this.docs[this.length] = doc;
    this.weights[this.length] = weight;
    this.length++;
  }

  clear(): void {
    this.terms = new Uint32Array(1024);
    this.docs = new Uint32Array(1024);
    this.weights = new Float32Array(1024);
    this.length = 0;
  }
}

/** Posting lists in compressed-sparse-row form: term t's postings are `[offsets[t], offsets[t + 1])`. */
export interface PostingLists {
  offsets: Uint32Array;
  docs: Uint32Array;
  weights: Float32Array;
}

export const emptyPostings = (): PostingLists => ({
  offsets: new Uint32Array(1),
  docs: new Uint32Array(0),
  weights: new Float32Array(0),
});

/**
 * Merges posting lists and triples into one CSR structure over `termCount` terms by counting sort,
 * keeping only documents for which `keep` is true and renumbering them through `remap`.
 */
export function buildPostingLists(
  termCount: number,
  sources: { lists?: PostingLists; triples?: PostingTriples },
  keep: (doc: number) => boolean,
  remap: (doc: number) => number = (doc) => doc,
): PostingLists {
  const counts = new Uint32Array(termCount + 1);
  const { lists, triples } = sources;
  if (lists) {
    const listTerms = lists.offsets.length - 1;
    for (let t = 0; t < listTerms; t++) {
      for (let p = lists.offsets[t]!; p < lists.offsets[t + 1]!; p++)
        if (keep(lists.docs[p]!)) counts[t + 1]!++;
    }
  }
  if (triples) {
    for (let i = 0; i < triples.length; i++) if (keep(triples.docs[i]!)) counts[triples.terms[i]! + 1]!++;
  }
  for (let t = 0; t < termCount; t++) counts[t + 1]! += counts[t]!;
  const total = counts[termCount]!;
  const docs = new Uint32Array(total);
  const weights = new Float32Array(total);
  const cursor = counts.slice(0, termCount);
  if (lists) {
    const listTerms = lists.offsets.length - 1;
    for (let t = 0; t < listTerms; t++) {
      for (let p = lists.offsets[t]!; p < lists.offsets[t + 1]!; p++) {
        const doc = lists.docs[p]!;
        if (!keep(doc)) continue;
        const at = cursor[t]!++;
        docs[at] = remap(doc);
        weights[at] = lists.weights[p]!;
      }
    }
  }
  if (triples) {
    for (let i = 0; i < triples.length; i++) {
      const doc = triples.docs[i]!;
      if (!keep(doc)) continue;
      const at = cursor[triples.terms[i]!]!++;
      docs[at] = remap(doc);
      weights[at] = triples.weights[i]!;
    }
  }
  return { offsets: counts, docs, weights };
}
