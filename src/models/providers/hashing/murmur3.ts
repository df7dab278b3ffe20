/**
 * @module models/providers/hashing/murmur3
 * MurmurHash3 (x86, 32-bit) over a string's UTF-16 code units, two units per 32-bit block.
 * Used for feature hashing: fast, well mixed, and the same in every process and version of Node.
 */

/** 32-bit MurmurHash3 of `text`, unsigned. */
export function murmur3(text: string, seed = 0): number {
  let h = seed >>> 0;
  const length = text.length;
  const blocks = length >> 1;
  for (let i = 0; i < blocks; i++) {
    let k = (text.charCodeAt(2 * i) | (text.charCodeAt(2 * i + 1) << 16)) >>> 0;
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  if (length & 1) {
    let k = text.charCodeAt(length - 1);
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
  }
  h ^= length * 2;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
