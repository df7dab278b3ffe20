import { randomBytes } from 'node:crypto';

const alphabet = '0123456789abcdefghjkmnpqrstvwxyz'; // Crockford base32, lowercase

/**
 * A sortable, prefixed identifier: `<prefix>_<10 chars of time><16 random chars>`.
 * @example newId('prj') // 'prj_01jd3k5m9x4q7r2t8v0wz6y1ab'
 */
export function newId(prefix: string): string {
  let time = Date.now();
  let timePart = '';
  for (let i = 0; i < 10; i++) {
    timePart = alphabet[time % 32] + timePart;
    time = Math.floor(time / 32);
  }
  return `${prefix}_${timePart}${randomToken(16)}`;
}

// Random bytes are drawn 4 KiB at a time: one call per id (several per request) costs more
// than the rest of id generation together.
const POOL_SIZE = 4096;
let pool = randomBytes(POOL_SIZE);
let poolOffset = 0;

/** Random characters from the base32 alphabet (5 bits each), from a CSPRNG. */
export function randomToken(length: number): string {
  if (length > POOL_SIZE) {
    const bytes = randomBytes(length);
    let out = '';
    for (let i = 0; i < length; i++) out += alphabet[bytes[i]! & 31];
    return out;
  }
  if (poolOffset + length > POOL_SIZE) {
    pool = randomBytes(POOL_SIZE);
    poolOffset = 0;
  }
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[pool[poolOffset + i]! & 31];
  // Every byte is used once: ids never share randomness.
  poolOffset += length;
  return out;
}
