/**
 * @module guardrails/detectors
 * The detectors Keel ships, by the names policies use. Built-in detectors are pure and
 * stateless, so one instance of each serves every request.
 */
import { KeelError } from '../core/errors.js';
import type { DetectorV1 } from '../spec/detector.js';
import { createHapDetector } from './hap/hap-detector.js';
import { createInjectionDetector } from './injection/injection-detector.js';
import { createPiiDetector } from './pii/pii-detector.js';

export const detectorNames = ['pii', 'hap', 'injection'] as const;
export type DetectorName = (typeof detectorNames)[number];

const detectors: Record<DetectorName, DetectorV1> = {
  pii: createPiiDetector(),
  hap: createHapDetector(),
  injection: createInjectionDetector(),
};

export function detector(name: string): DetectorV1 {
  if (!(detectorNames as readonly string[]).includes(name)) {
    throw new KeelError(
      'invalid_request',
      `Unknown detector "${name}". Known: ${detectorNames.join(', ')}.`,
      {
        issues: [{ code: 'unknown_detector', path: ['detectors'], message: `unknown detector "${name}"` }],
      },
    );
  }
  return detectors[name as DetectorName];
}

/** Longest text a single check accepts (characters). Larger inputs answer `payload_too_large`. */
export const MAX_CHECK_LENGTH = 1_000_000;

export function assertCheckable(text: string): void {
  if (text.length > MAX_CHECK_LENGTH) {
    throw new KeelError(
      'payload_too_large',
      `Text of ${text.length} characters is over the guardrail limit of ${MAX_CHECK_LENGTH}.`,
      {
        data: { limit: MAX_CHECK_LENGTH },
      },
    );
  }
}

/** Lone surrogates (invalid UTF-16) become U+FFFD, so offsets stay and nothing downstream chokes. */
export function wellFormed(text: string): string {
  return text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}
