/**
 * @module guardrails/injection/encoded-payloads
 * Instructions smuggled in encodings a model can read: base64, hexadecimal and ROT13. Candidates
 * are decoded and the decoded text is scanned again with the same rules.
 */
import { isWhitespace } from '../text/normalize.js';

// Sticky: tried only where a cheap scan (candidateStarts) finds a run that could hold a match.
const base64Candidate = /(?<![A-Za-z0-9+/=])[A-Za-z0-9+/]{20,}={0,2}(?![A-Za-z0-9+/=])/y;
const hexCandidate =
  /(?<![0-9a-fA-F])(?:[0-9a-fA-F]{2}[\s:]?){12,}(?![0-9a-fA-F])|(?:\\x[0-9a-fA-F]{2}){8,}/y;

const BASE64 = 1;
const HEX = 2;
const HEX_OR_SEPARATOR = 4;
const kinds = new Uint8Array(128);
for (let code = 0; code < 128; code++) {
  const char = String.fromCharCode(code);
  if (/[A-Za-z0-9+/]/.test(char)) kinds[code]! |= BASE64;
  if (/[0-9a-fA-F]/.test(char)) kinds[code]! |= HEX | HEX_OR_SEPARATOR;
  if (/[\s:]/.test(char)) kinds[code]! |= HEX_OR_SEPARATOR;
}
const kindAt = (text: string, index: number): number => {
  const code = text.charCodeAt(index);
  return code < 128 ? kinds[code]! : isWhitespace(code) ? HEX_OR_SEPARATOR : 0;
};

/**
 * Starts of the runs of `kind` characters at least `length` long, in order. Such a run holds a
 * multiple of `length`, so only those offsets are looked at before a run is measured.
 */
function runsOf(text: string, kind: number, length: number): number[] {
  const starts: number[] = [];
  for (let probe = length - 1; probe < text.length; probe += length) {
    if (!(kindAt(text, probe) & kind)) continue;
    let start = probe;
    while (start > 0 && kindAt(text, start - 1) & kind) start--;
    let end = probe + 1;
    while (end < text.length && kindAt(text, end) & kind) end++;
    if (end - start >= length) starts.push(start);
    probe = end - (end % length) - 1;
  }
  return starts;
}

/**
 * Every offset where the sticky `hexCandidate` could match, in order: hex digits that begin a
 * run of digits inside a run of 24 or more digits and separators (twelve pairs), and `\x`.
 */
function hexStarts(text: string): number[] {
  const starts: number[] = [];
  for (const start of runsOf(text, HEX_OR_SEPARATOR, 24))
    for (let index = start; index < text.length && kindAt(text, index) & HEX_OR_SEPARATOR; index++)
      if (kindAt(text, index) & HEX && !(index > 0 && kindAt(text, index - 1) & HEX)) starts.push(index);
  for (let index = text.indexOf('\\x'); index >= 0; index = text.indexOf('\\x', index + 1))
    starts.push(index);
  return starts.sort((a, b) => a - b);
}

function printable(text: string): boolean {
  if (text.length < 8) return false;
  let good = 0;
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (code === 9 || code === 10 || code === 13 || (code >= 32 && code !== 0xfffd && code !== 127)) good++;
  }
  return good / [...text].length > 0.92;
}

export interface Decoded {
  encoding: 'base64' | 'hex' | 'rot13';
  start: number;
  end: number;
  text: string;
}

export function decodeCandidates(text: string, limit = 32): Decoded[] {
  const decoded: Decoded[] = [];
  // A base64 match starts a run of 20 or more base64 characters.
  for (const start of runsOf(text, BASE64, 20)) {
    if (decoded.length >= limit) break;
    base64Candidate.lastIndex = start;
    const match = base64Candidate.exec(text);
    if (!match) continue;
    const raw = match[0];
    // Words and paths are letters only; real base64 mixes cases and digits.
    if (!/[0-9+/]/.test(raw) && !(/[A-Z]/.test(raw) && /[a-z]/.test(raw))) continue;
    const value = Buffer.from(raw, 'base64').toString('utf8');
    if (printable(value))
      decoded.push({ encoding: 'base64', start: match.index, end: match.index + raw.length, text: value });
  }
  // Matches do not overlap: offsets inside the previous match are skipped, as a global scan would.
  let end = 0;
  for (const start of hexStarts(text)) {
    if (decoded.length >= limit) break;
    if (start < end) continue;
    hexCandidate.lastIndex = start;
    const match = hexCandidate.exec(text);
    if (!match) continue;
    end = start + match[0].length;
    const hex = match[0].replace(/\\x|[\s:]/g, '');
    if (hex.length % 2) continue;
    const value = Buffer.from(hex, 'hex').toString('utf8');
    if (printable(value))
      decoded.push({ encoding: 'hex', start: match.index, end: match.index + match[0].length, text: value });
  }
  return decoded;
}

export function rot13(text: string): string {
  return text.replace(/[A-Za-z]/g, (char) => {
    const base = char <= 'Z' ? 65 : 97;
    return String.fromCharCode(((char.charCodeAt(0) - base + 13) % 26) + base);
  });
}
