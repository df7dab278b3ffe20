/**
 * @module guardrails/pii/pii-detector
 * The PII detector: every recognizer over the text, context words applied, overlaps resolved
 * (the higher score wins; on a tie the more specific identifier), spans in offset order.
 */
import type { DetectOptions, Span, SyncDetectorV1, TextScope } from '../../spec/detector.js';
import { stripWithMap } from '../text/normalize.js';
import { createTextScope, scopeFor } from '../text/text-scope.js';
import { piiAnchors } from './anchors.js';
import { withContext } from './context-words.js';
import { dateOfBirth, locationName, organisationName, personName } from './entity-recognizers.js';
import type { Finding, Recognizer } from './finding.js';
import {
  iban,
  koreanBankAccount,
  koreanBusinessNumber,
  koreanDriverLicence,
  koreanPassport,
  koreanResidentNumbers,
  paymentCard,
  usSocialSecurityNumber,
} from './number-recognizers.js';
import { phoneNumber } from './phone-recognizer.js';
import { emailAddress, ipAddress, url } from './web-recognizers.js';

export const PII_DETECTOR_VERSION = '1.0.0';

/** In priority order: on equal scores, the earlier type wins an overlap. */
const recognizers: readonly Recognizer[] = [
  koreanResidentNumbers,
  koreanBusinessNumber,
  koreanDriverLicence,
  iban,
  paymentCard,
  usSocialSecurityNumber,
  emailAddress,
  ipAddress,
  phoneNumber,
  koreanBankAccount,
  koreanPassport,
  url,
  dateOfBirth,
  locationName,
  personName,
  organisationName,
];

export const piiEntityTypes: readonly string[] = recognizers.flatMap((recognizer) => recognizer.types);
const priority = new Map(piiEntityTypes.map((type, index) => [type, index]));

/** Soft hyphen, zero-width space/joiners, word joiner, invisible operators, BOM. */
const invisiblePattern = /[\u00ad\u200b-\u200d\u2060-\u2064\ufeff]/;

export function createPiiDetector(options: { entities?: readonly string[] } = {}): SyncDetectorV1 {
  const active = options.entities
    ? recognizers.filter((recognizer) => recognizer.types.some((type) => options.entities!.includes(type)))
    : recognizers;
  const wanted = options.entities ? new Set(options.entities) : undefined;
  return {
    specificationVersion: 'v1',
    name: 'pii',
    version: PII_DETECTOR_VERSION,
    kind: 'pii',
    entityTypes: options.entities ?? piiEntityTypes,
    detect(original: string, detectOptions: DetectOptions = {}): Span[] {
      if (original.length === 0) return [];
      // The anchor scan every recognizer shares also finds the invisible characters.
      const scope = scopeFor(original, detectOptions.scope);
      if (piiAnchors(original, scope).invisible.length === 0) return detectVisible(scope, detectOptions);
      // Zero-width and soft-hyphen characters hide values from patterns ("j\u200bane@…"): detect on
      // the text without them, then map offsets back so spans cover the original characters.
      const { text: visible, map } = stripWithMap(original, invisiblePattern);
      return detectVisible(createTextScope(visible), { ...detectOptions, includeText: false }).map((span) => {
        const start = map[span.start]!;
        const end = span.end > span.start ? map[span.end - 1]! + 1 : start;
        return {
          ...span,
          start,
          end,
          ...(detectOptions.includeText ? { text: original.slice(start, end) } : {}),
        };
      });
    },
  };

  function detectVisible(scope: TextScope, detectOptions: DetectOptions): Span[] {
    const text = scope.text;
    const findings: Finding[] = [];
    for (const recognizer of active) recognizer.scan(text, findings, scope);
    const scored = findings
      .filter((finding) => !wanted || wanted.has(finding.type))
      .map((finding) => {
        const context = withContext(text, finding.type, finding.start, finding.end, finding.score);
        const rank = priority.get(finding.type) ?? 99;
        return { finding, score: context.score, raised: context.raised, rank };
      });
    scored.sort(
      (a, b) =>
        b.score - a.score ||
        a.rank - b.rank ||
        b.finding.end - b.finding.start - (a.finding.end - a.finding.start),
    );
    // Accepted spans, by start: they never overlap, so a new one can only overlap its neighbours.
    const accepted: Span[] = [];
    for (const { finding, score, raised } of scored) {
      let low = 0;
      for (let high = accepted.length; low < high; ) {
        const middle = (low + high) >>> 1;
        if (accepted[middle]!.start < finding.start) low = middle + 1;
        else high = middle;
      }
      const before = accepted[low - 1];
      const after = accepted[low];
      if ((before && before.end > finding.start) || (after && after.start < finding.end)) continue;
      const span: Span = {
        type: finding.type,
        start: finding.start,
        end: finding.end,
        score: Math.round(score * 1000) / 1000,
        detector: 'pii',
        version: PII_DETECTOR_VERSION,
      };
      if (raised) span.baseScore = finding.score;
      span.reasons = raised ? [...finding.reasons, 'context'] : finding.reasons;
      if (detectOptions.includeText) span.text = text.slice(finding.start, finding.end);
      accepted.splice(low, 0, span);
    }
    return accepted;
  }
}
