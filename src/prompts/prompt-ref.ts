/**
 * @module prompts/prompt-ref
 * How applications name a template: `name` (the latest version), `name@3` (a version) or
 * `name@production` (whatever version the label points at).
 */
import { KeelError } from '../core/errors.js';

export type VersionSelector =
  | { kind: 'latest' }
  | { kind: 'version'; version: number }
  | { kind: 'label'; label: string };

export interface PromptRef {
  name: string;
  selector: VersionSelector;
}

const refPattern = /^([a-z0-9][a-z0-9._-]{0,99})(?:@([a-z0-9][a-z0-9_-]{0,49}))?$/;

/**
 * Parses a template reference.
 * @example parsePromptRef('triage@production') // { name: 'triage', selector: { kind: 'label', label: 'production' } }
 */
export function parsePromptRef(ref: string): PromptRef {
  const match = refPattern.exec(ref);
  if (!match) {
    throw new KeelError(
      'invalid_request',
      `"${ref}" is not a template reference: use name, name@3 or name@label.`,
      {
        issues: [
          { code: 'invalid_ref', path: ['prompt'], message: 'expected name, name@<version> or name@<label>' },
        ],
      },
    );
  }
  return { name: match[1]!, selector: parseSelector(match[2]) };
}

/** `3` → a version, `latest` or nothing → the newest, anything else → a label. */
export function parseSelector(value: string | undefined): VersionSelector {
  if (value === undefined || value === 'latest') return { kind: 'latest' };
  if (/^\d+$/.test(value)) {
    const version = Number(value);
    if (version >= 1 && Number.isSafeInteger(version)) return { kind: 'version', version };
  }
  return { kind: 'label', label: value };
}

export function formatSelector(selector: VersionSelector): string {
  if (selector.kind === 'latest') return 'latest';
  return selector.kind === 'version' ? String(selector.version) : selector.label;
}
