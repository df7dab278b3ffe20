/**
 * @module guardrails/injection/encoded-payloads
 * Instructions smuggled in encodings a model can read: base64, hexadecimal and ROT13. Candidates
 * are decoded and the decoded text is scanned again with the same rules.
 */

const base64Candidate = /(?<![A-Za-z0-9+/=])[A-Za-z0-9+/]{20,}={0,2}(?![A-Za-z0-9+/=])/g;
const hexCandidate =
  /(?<![0-9a-fA-F])(?:[0-9a-fA-F]{2}[\s:]?){12,}(?![0-9a-fA-F])|(?:\\x[0-9a-fA-F]{2}){8,}/g;

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
  base64Candidate.lastIndex = 0;
  for (
    let match = base64Candidate.exec(text);
    match && decoded.length < limit;
    match = base64Candidate.exec(text)
  ) {
    const raw = match[0];
    // Words and paths are letters only; real base64 mixes cases and digits.
    if (!/[0-9+/]/.test(raw) && !(/[A-Z]/.test(raw) && /[a-z]/.test(raw))) continue;
    const value = Buffer.from(raw, 'base64').toString('utf8');
    if (printable(value))
      decoded.push({ encoding: 'base64', start: match.index, end: match.index + raw.length, text: value });
  }
  hexCandidate.lastIndex = 0;
  for (
    let match = hexCandidate.exec(text);
    match && decoded.length < limit;
    match = hexCandidate.exec(text)
  ) {
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
