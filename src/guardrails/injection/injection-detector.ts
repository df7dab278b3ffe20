/**
 * @module guardrails/injection/injection-detector
 * Prompt injection and jailbreak detection for prompts and, in `document` mode, for content
 * about to be retrieved into a prompt (indirect injection). Also reports hidden text (Unicode
 * tag characters, bidi overrides, zero-width runs) and instructions hidden in base64, hex or
 * ROT13.
 */

import type { DetectOptions, Span, SyncDetectorV1 } from '../../spec/detector.js';
import { anchorHits, registerAnchorWords } from '../text/anchor-words.js';
import { foldCandidates, foldExceptCase, foldText, stripWithMap } from '../text/normalize.js';
import { scopeFor } from '../text/text-scope.js';
import { scoreAddressee } from './addressee-score.js';
import { embeddedDocuments } from './embedded-documents.js';
import { decodeCandidates, rot13 } from './encoded-payloads.js';
import { bidiOverrides, documentRules, promptRules, tagCharacters, zeroWidth } from './injection-patterns.js';
import { type CueHits, createRuleScanner, type RuleScanner } from './rule-scanner.js';

export const INJECTION_DETECTOR_VERSION = '1.1.0';
export const injectionTypes = [
  'prompt_injection',
  'jailbreak',
  'prompt_leak',
  'indirect_injection',
  'encoded_payload',
  'invisible_text',
] as const;

const hiddenCharacters = /\udb40[\udc00-\udc7f]|[\u200b-\u200f\u2060\ufeff\u180e]/;
/** Everything `hiddenText` or `hiddenCharacters` looks for (\udb40 leads the tags). */
const maybeHidden = /[\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff\u180e\udb40]/;

/** Texts longer than this are scanned in windows, so one rule never runs over megabytes at once. */
const WINDOW = 16_384;

// Texts that name ROT13 are decoded whatever their length.
registerAnchorWords('injection', { rot13: ['rot13', 'rot-13', 'caesar'] }, { rot13: { caseless: true } });

const promptScanner = createRuleScanner(promptRules);
const documentScanner = createRuleScanner([...promptRules, ...documentRules]);
/** Documents quoted inside a prompt: the document rules only (the prompt rules read them already). */
const embeddedScanner = createRuleScanner(documentRules);
const isDocumentRule = new Set(documentRules);

function applyRules(
  text: string,
  offset: number,
  scanner: RuleScanner,
  spans: Span[],
  reason: string,
  cues?: CueHits,
): void {
  scanner.scan(
    text,
    (rule, start, end) => {
      spans.push({
        type: rule.type,
        start: offset + start,
        end: offset + end,
        score: rule.score,
        detector: 'injection',
        version: INJECTION_DETECTOR_VERSION,
        reasons: isDocumentRule.has(rule)
          ? reason === 'embedded_document'
            ? ['addressed_to_assistant', reason]
            : ['addressed_to_assistant']
          : [reason],
      });
    },
    cues,
  );
}

function hiddenText(text: string, spans: Span[]): void {
  const tag = tagCharacters.exec(text);
  if (tag) {
    let end = tag.index;
    while (end < text.length && tagCharacters.test(text.slice(end, end + 2))) end += 2;
    spans.push({
      type: 'invisible_text',
      start: tag.index,
      end,
      score: 0.95,
      detector: 'injection',
      version: INJECTION_DETECTOR_VERSION,
      reasons: ['unicode_tags'],
    });
  }
  const bidi = bidiOverrides.exec(text);
  if (bidi)
    spans.push({
      type: 'invisible_text',
      start: bidi.index,
      end: bidi.index + 1,
      score: 0.7,
      detector: 'injection',
      version: INJECTION_DETECTOR_VERSION,
      reasons: ['bidi_override'],
    });
  const zero = text.match(zeroWidth);
  // Zero-width joiners build emoji; three or more spaces/non-joiners inside words hide content.
  if (zero && zero.length >= 3) {
    const first = text.search(zeroWidth);
    spans.push({
      type: 'invisible_text',
      start: first,
      end: first + 1,
      score: zero.length >= 10 ? 0.8 : 0.6,
      detector: 'injection',
      version: INJECTION_DETECTOR_VERSION,
      reasons: ['zero_width'],
    });
  }
}

export function createInjectionDetector(): SyncDetectorV1 {
  return {
    specificationVersion: 'v1',
    name: 'injection',
    version: INJECTION_DETECTOR_VERSION,
    kind: 'injection',
    entityTypes: injectionTypes,
    detect(text: string, options: DetectOptions = {}): Span[] {
      if (text.length === 0) return [];
      const spans: Span[] = [];
      // The anchor-word scan of the text, shared with the other detectors through `scope`.
      const scope = scopeFor(text, options.scope);
      const anchors = () => scope.memo(anchorHits);
      const document = options.mode === 'document';
      // Hidden characters are among the characters folding may change (one scan finds both).
      const candidates = foldCandidates(text);
      const hidden = candidates.some((index) => maybeHidden.test(text[index]!));
      if (hidden) hiddenText(text, spans);
      // Rules see the text with hidden characters removed (so "ig\u200bnore" still reads "ignore")
      // and full-width letters folded; spans are mapped back to the original offsets.
      const { text: visible, map } = hidden ? stripWithMap(text, hiddenCharacters) : { text, map: undefined };
      const found: Span[] = [];
      for (let offset = 0; offset < visible.length; offset += WINDOW) {
        // Windows overlap by 256 characters so a phrase on a boundary is seen whole.
        const window = visible.slice(offset, offset + WINDOW + 256);
        // The rules ignore case: folding all but the case gives them the same matches.
        const folded = hidden ? foldExceptCase(window) : foldExceptCase(window, candidates, offset);
        const scanner = document ? documentScanner : promptScanner;
        // Unchanged by folding, the window's cues come from the anchor-word scan of the text.
        // Unchanged in length, its cues are those of the scan plus any a folded character made.
        const cues =
          folded.length === window.length && !hidden
            ? scanner.cuesIn(anchors(), offset, window, folded)
            : undefined;
        applyRules(folded, offset, scanner, found, 'phrase', cues);
      }
      // A prompt's quoted documents ("Summarise this: """…"""", <document>…</document>) are
      // read as documents too: instructions inside them are indirect injection.
      if (document) scoreAddressee(visible, 0, INJECTION_DETECTOR_VERSION, found);
      else
        for (const region of embeddedDocuments(visible)) {
          for (let offset = region.start; offset < region.end; offset += WINDOW) {
            const window = visible.slice(offset, Math.min(region.end, offset + WINDOW + 256));
            applyRules(foldExceptCase(window), offset, embeddedScanner, found, 'embedded_document');
          }
          scoreAddressee(
            visible.slice(region.start, region.end),
            region.start,
            INJECTION_DETECTOR_VERSION,
            found,
          );
        }
      for (const span of found) {
        const start = Math.min(span.start, visible.length);
        const end = Math.min(span.end, visible.length);
        spans.push({ ...span, start: map ? map[start]! : start, end: map ? map[end]! : end });
      }
      for (const payload of decodeCandidates(text)) {
        const inner: Span[] = [];
        applyRules(foldText(payload.text), 0, promptScanner, inner, 'decoded');
        if (inner.length) {
          spans.push({
            type: 'encoded_payload',
            start: payload.start,
            end: payload.end,
            score: Math.max(...inner.map((span) => span.score)),
            detector: 'injection',
            version: INJECTION_DETECTOR_VERSION,
            reasons: [payload.encoding, ...new Set(inner.map((span) => span.type))],
          });
        }
      }
      // ROT13 is only worth trying on short texts, or when the text names it.
      if (
        /[a-z]{4,}/i.test(text) &&
        (text.length <= 4096 || (anchors()['injection.rot13']?.length ?? 0) > 0)
      ) {
        const rotated: Span[] = [];
        applyRules(foldText(rot13(text.slice(0, 65_536))), 0, promptScanner, rotated, 'rot13');
        for (const span of rotated)
          spans.push({ ...span, type: 'encoded_payload', reasons: ['rot13', span.type] });
      }
      return mergeOverlaps(spans, options.includeText ? text : undefined);
    },
  };
}

/** One span per overlapping group and type: the highest score, the union of reasons. */
function mergeOverlaps(spans: Span[], text: string | undefined): Span[] {
  spans.sort((a, b) => a.start - b.start || b.score - a.score);
  const merged: Span[] = [];
  for (const span of spans) {
    const last = merged.findLast((candidate) => candidate.type === span.type && span.start <= candidate.end);
    if (last) {
      last.end = Math.max(last.end, span.end);
      last.score = Math.max(last.score, span.score);
      last.reasons = [...new Set([...(last.reasons ?? []), ...(span.reasons ?? [])])];
    } else merged.push({ ...span });
  }
  if (text) for (const span of merged) span.text = text.slice(span.start, span.end);
  return merged;
}
