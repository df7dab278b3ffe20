/**
 * @module core/text/char-ngram-features
 * A frozen text featuriser (task heads, few-shot example selection): hashed character n-grams (1 to 3 characters by default) of
 * the NFC-normalised, lower-cased text, with whitespace collapsed and word edges marked. Counts are
 * log-scaled and the vector is L2-normalised. Works well for Korean, where one Hangul syllable is
 * one character and spelling variants share most of their n-grams.
 */

/** A sparse feature vector: parallel index and value arrays. */
export interface SparseVector {
  indices: Uint32Array;
  values: Float32Array;
}

export interface CharNgramOptions {
  /** Hash space size (a power of two). Default 2^18. */
  dimensions?: number;
  minN?: number;
  maxN?: number;
}

export interface CharNgramSpec {
  kind: 'char-ngram';
  dimensions: number;
  minN: number;
  maxN: number;
}

export function charNgramSpec(options: CharNgramOptions = {}): CharNgramSpec {
  const dimensions = options.dimensions ?? 2 ** 18;
  if (!Number.isInteger(Math.log2(dimensions))) throw new RangeError('dimensions must be a power of two');
  return { kind: 'char-ngram', dimensions, minN: options.minN ?? 1, maxN: options.maxN ?? 3 };
}

/** FNV-1a over UTF-16 code units, 32-bit. */
export function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export function featurise(text: string, spec: CharNgramSpec): SparseVector {
  const clean = ` ${text.normalize('NFC').toLowerCase().replace(/\s+/gu, ' ').trim()} `;
  const chars = Array.from(clean);
  const counts = new Map<number, number>();
  const mask = spec.dimensions - 1;
  for (let n = spec.minN; n <= spec.maxN; n++) {
    for (let i = 0; i + n <= chars.length; i++) {
      const gram = chars.slice(i, i + n).join('');
      if (gram === ' ') continue;
      const index = hash(`${n}:${gram}`) & mask;
      counts.set(index, (counts.get(index) ?? 0) + 1);
    }
  }
  return sparseFromCounts(counts);
}

/** Log-scaled counts per hashed index as an L2-normalised sparse vector (indices ascending). */
export function sparseFromCounts(counts: Map<number, number>): SparseVector {
  const indices = new Uint32Array(counts.size);
  const values = new Float32Array(counts.size);
  let norm = 0;
  let k = 0;
  for (const [index, count] of [...counts].sort((a, b) => a[0] - b[0])) {
    const v = Math.log1p(count);
    indices[k] = index;
    values[k] = v;
    norm += v * v;
    k++;
  }
  const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  for (let i = 0; i < values.length; i++) values[i] = (values[i] as number) * scale;
  return { indices, values };
}
