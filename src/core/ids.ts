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

/** Random characters from the base32 alphabet (5 bits each). */
export function randomToken(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[bytes[i]! & 31];
  return out;
}
