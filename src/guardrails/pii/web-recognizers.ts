/**
 * @module guardrails/pii/web-recognizers
 * E-mail addresses (an `@`-anchored scan: the text is searched for `@` only), URLs and IP
 * addresses (v4 with octet ranges, v6 validated by Node's parser). Bare domains and IP addresses
 * are looked for only around a cue — a dot before a top-level domain, a digit-dot-digit, a colon
 * before a hex digit — in windows whose edges no match can cross.
 */

import { isIPv4, isIPv6 } from 'node:net';
import type { TextScope } from '../../spec/detector.js';
import { isWhitespace } from '../text/normalize.js';
import { piiAnchors } from './anchors.js';
import {
  eachMatch,
  eachMatchIn,
  pointSpans,
  type Recognizer,
  type Window,
  windowsAround,
} from './finding.js';
import { topLevelDomains } from './name-dictionaries.js';

const anchorsOf = (text: string, scope: TextScope | undefined) => piiAnchors(text, scope);

const localChar = /[A-Za-z0-9._%+\-'!#$&*=?^`{|}~]/;
const domainChar = /[A-Za-z0-9.-]/;

export const emailAddress: Recognizer = {
  types: ['EMAIL_ADDRESS'],
  scan(text, out) {
    let at = text.indexOf('@');
    while (at !== -1) {
      let start = at;
      while (start > 0 && at - start < 64 && localChar.test(text[start - 1]!)) start--;
      let end = at + 1;
      while (end < text.length && end - at < 255 && domainChar.test(text[end]!)) end++;
      // A sentence's full stop is not part of the domain.
      while (end > at + 1 && (text[end - 1] === '.' || text[end - 1] === '-')) end--;
      while (start < at && text[start] === '.') start++;
      const local = text.slice(start, at);
      const domain = text.slice(at + 1, end);
      const labels = domain.split('.');
      const tld = labels.at(-1) ?? '';
      if (
        local.length > 0 &&
        labels.length >= 2 &&
        labels.every((label) => label.length > 0 && label.length <= 63) &&
        (/^[A-Za-z]{2,24}$/.test(tld) || /^xn--[a-z0-9-]+$/i.test(tld)) &&
        !local.endsWith('.')
      ) {
        out.push({ type: 'EMAIL_ADDRESS', start, end, score: 1, reasons: ['pattern'] });
      }
      at = text.indexOf('@', Math.max(end, at + 1));
    }
  },
};

const tlds = topLevelDomains.join('|');
const schemeUrl = /(?<![\w])(?:https?|ftp):\/\/[^\s<>"'()[\]{}]+[^\s<>"'()[\]{}.,;:!?]/gi;
const wwwUrl =
  /(?<![\w./@])www\.[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+(?:\/[^\s<>"'()[\]{}]*[^\s<>"'()[\]{}.,;:!?])?/gi;
const bareDomain = new RegExp(
  String.raw`(?<![\w./@-])(?:[A-Za-z0-9-]{1,63}\.)+(?:${tlds})(?![\w-]|\.[A-Za-z0-9])(?:/[^\s<>"'()[\]{}]*[^\s<>"'()[\]{}.,;:!?])?`,
  'gi',
);

/**
 * Windows around the dots before a top-level domain (every bare domain has one), out to
 * whitespace, which no URL contains and the lookarounds allow.
 */
function domainWindows(text: string, scope: TextScope | undefined): Window[] {
  return windowsAround(text, pointSpans(anchorsOf(text, scope).domain), 0, isWhitespace);
}

export const url: Recognizer = {
  types: ['URL'],
  scan(text, out, scope) {
    const covered: [number, number][] = [];
    const push = (start: number, end: number, score: number) => {
      if (covered.some(([s, e]) => start < e && end > s)) return;
      covered.push([start, end]);
      out.push({ type: 'URL', start, end, score, reasons: ['pattern'] });
    };
    if (text.includes('://'))
      eachMatch(schemeUrl, text, (match) => push(match.index, match.index + match[0].length, 0.6));
    if (/www\./i.test(text))
      eachMatch(wwwUrl, text, (match) => push(match.index, match.index + match[0].length, 0.6));
    eachMatchIn(bareDomain, domainWindows(text, scope), (match) => {
      // Not the domain half of an e-mail address.
      if (text[match.index - 1] === '@') return;
      push(match.index, match.index + match[0].length, 0.5);
    });
  },
};

const ipv4 = /(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?:\/\d{1,2})?(?![\w]|\.\d)/g;
const ipv6Candidate =
  /(?<![\w:.])(?:[0-9A-Fa-f]{1,4}:|::)[0-9A-Fa-f:.]*[0-9A-Fa-f:](?:%[A-Za-z0-9]+)?(?:\/\d{1,3})?(?![\w:])/g;

const addressCharacters = (extra: string) => {
  const table = new Uint8Array(128);
  for (const char of `abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_${extra}`)
    table[char.charCodeAt(0)] = 1;
  return (code: number) => code >= 128 || table[code] === 0;
};
// Window edges: characters no address contains and no lookaround of its pattern tests.
const ipv4Boundary = addressCharacters('./');
const ipv6Boundary = addressCharacters(':.%/');

export const ipAddress: Recognizer = {
  types: ['IP_ADDRESS'],
  scan(text, out, scope) {
    // Every IPv4 address has a digit, a dot and a digit; every IPv6 candidate a colon before a
    // hex digit, a colon or a dot.
    const anchors = anchorsOf(text, scope);
    const v4 = windowsAround(text, pointSpans(anchors.ipv4, 3), 0, ipv4Boundary);
    const v6 = windowsAround(text, pointSpans(anchors.ipv6, 2), 0, ipv6Boundary);
    eachMatchIn(ipv4, v4, (match) => {
      const [address, prefix] = match[0].split('/');
      if (!isIPv4(address!) || (prefix !== undefined && Number(prefix) > 32)) return;
      out.push({
        type: 'IP_ADDRESS',
        start: match.index,
        end: match.index + match[0].length,
        score: 0.7,
        reasons: ['pattern'],
      });
    });
    eachMatchIn(ipv6Candidate, v6, (match) => {
      const raw = match[0];
      const [withZone, prefix] = raw.split('/');
      const address = withZone!.split('%')[0]!;
      if (!address.includes(':') || !isIPv6(address)) return;
      if (prefix !== undefined && Number(prefix) > 128) return;
      // "12:34:56" parses as nothing, but "::" alone or a bare "1::2" ratio must still be an address.
      if (address === '::' || address.replace(/[^:]/g, '').length < 2) return;
      out.push({
        type: 'IP_ADDRESS',
        start: match.index,
        end: match.index + raw.length,
        score: 0.7,
        reasons: ['pattern'],
      });
    });
  },
};
