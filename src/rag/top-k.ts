/**
 * @module rag/top-k
 * Keeps the k best (index, score) pairs seen so far in a binary min-heap: O(n log k) selection
 * without sorting every candidate.
 */
export class TopK {
  readonly #indexes: Int32Array;
  readonly #scores: Float64Array;
  #size = 0;

  constructor(readonly k: number) {
    this.#indexes = new Int32Array(Math.max(1, k));
    this.#scores = new Float64Array(Math.max(1, k));
  }

  get size(): number {
    return this.#size;
  }

  /** The score a candidate must beat once the heap is full. */
  get threshold(): number {
    return this.#size < this.k ? Number.NEGATIVE_INFINITY : this.#scores[0]!;
  }

  push(index: number, score: number): void {
    if (this.k <= 0) return;
    if (this.#size < this.k) {
      let i = this.#size++;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (this.#scores[parent]! <= score) break;
        this.#scores[i] = this.#scores[parent]!;
        this.#indexes[i] = this.#indexes[parent]!;
        i = parent;
      }
      this.#scores[i] = score;
      this.#indexes[i] = index;
      return;
    }
    if (score <= this.#scores[0]!) return;
    let i = 0;
    const n = this.#size;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      const child = right < n && this.#scores[right]! < this.#scores[left]! ? right : left;
      if (this.#scores[child]! >= score) break;
      this.#scores[i] = this.#scores[child]!;
      this.#indexes[i] = this.#indexes[child]!;
      i = child;
    }
    this.#scores[i] = score;
    this.#indexes[i] = index;
  }

  /** Best first; ties keep the lower index first for stable output. */
  sorted(): { index: number; score: number }[] {
    const out: { index: number; score: number }[] = [];
    for (let i = 0; i < this.#size; i++) out.push({ index: this.#indexes[i]!, score: this.#scores[i]! });
    return out.sort((a, b) => b.score - a.score || a.index - b.index);
  }
}
