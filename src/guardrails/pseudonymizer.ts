/**
 * @module guardrails/pseudonymizer
 * Reversible pseudonymisation: PII becomes placeholders (`[EMAIL_1]`, `[주민등록번호_1]`) before
 * the model sees it; the same value gets the same placeholder for the whole conversation. The
 * mapping is sealed with AES-256-GCM for storage, and placeholders in the model's output can be
 * restored — also across streamed chunks that split a placeholder.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { KeelError } from '../core/errors.js';

const labels: Record<string, string> = {
  EMAIL_ADDRESS: 'EMAIL',
  PHONE_NUMBER: 'PHONE',
  CREDIT_CARD: 'CARD',
  IBAN_CODE: 'IBAN',
  US_SSN: 'SSN',
  IP_ADDRESS: 'IP',
  URL: 'URL',
  PERSON: 'PERSON',
  ORGANIZATION: 'ORG',
  LOCATION: 'LOCATION',
  STREET_ADDRESS: 'ADDRESS',
  DATE_OF_BIRTH: 'BIRTHDATE',
  KR_RRN: '주민등록번호',
  KR_FRN: '외국인등록번호',
  KR_BRN: '사업자등록번호',
  KR_PASSPORT: '여권번호',
  KR_DRIVER_LICENSE: '운전면허번호',
  KR_BANK_ACCOUNT: '계좌번호',
};

export function placeholderLabel(type: string): string {
  return labels[type] ?? type;
}

const placeholderPattern = /\[([A-Z]+|[가-힣]+)_(\d{1,4})\]/g;

export class Pseudonymizer {
  readonly #byValue = new Map<string, string>();
  readonly #byPlaceholder = new Map<string, string>();
  readonly #counters = new Map<string, number>();

  constructor(entries: Record<string, string> = {}) {
    for (const [placeholder, value] of Object.entries(entries)) this.#remember(placeholder, value);
  }

  /** The placeholder for a value of a type, allocating the next number the first time. */
  placeholderFor(type: string, value: string): string {
    const key = `${type}\u0000${value}`;
    const known = this.#byValue.get(key);
    if (known) return known;
    const label = placeholderLabel(type);
    const next = (this.#counters.get(label) ?? 0) + 1;
    this.#counters.set(label, next);
    const placeholder = `[${label}_${next}]`;
    this.#byValue.set(key, placeholder);
    this.#byPlaceholder.set(placeholder, value);
    return placeholder;
  }

  get size(): number {
    return this.#byPlaceholder.size;
  }

  entries(): Record<string, string> {
    return Object.fromEntries(this.#byPlaceholder);
  }

  /** Placeholders back to their values; unknown placeholders are left as they are. */
  restore(text: string): string {
    if (this.#byPlaceholder.size === 0) return text;
    return text.replace(
      placeholderPattern,
      (placeholder) => this.#byPlaceholder.get(placeholder) ?? placeholder,
    );
  }

  /** A restorer for streamed output: holds back a `[` that may start a placeholder until it is whole. */
  streamRestorer(): { push(chunk: string): string; flush(): string } {
    let pending = '';
    return {
      push: (chunk) => {
        pending += chunk;
        const open = pending.lastIndexOf('[');
        // Longest placeholder is short; an unclosed "[" further back is just a bracket.
        if (open >= 0 && !pending.includes(']', open) && pending.length - open <= 24) {
          const ready = pending.slice(0, open);
          pending = pending.slice(open);
          return this.restore(ready);
        }
        const ready = pending;
        pending = '';
        return this.restore(ready);
      },
      flush: () => {
        const rest = pending;
        pending = '';
        return this.restore(rest);
      },
    };
  }

  #remember(placeholder: string, value: string): void {
    const match = /^\[(.+)_(\d+)\]$/.exec(placeholder);
    if (!match) return;
    this.#byPlaceholder.set(placeholder, value);
    const label = match[1]!;
    this.#counters.set(label, Math.max(this.#counters.get(label) ?? 0, Number(match[2])));
    const type = Object.entries(labels).find(([, candidate]) => candidate === label)?.[0] ?? label;
    this.#byValue.set(`${type}\u0000${value}`, placeholder);
  }
}

export interface SealedMapping {
  iv: string;
  tag: string;
  ciphertext: string;
}

/** Encrypts a mapping with the server key (32 bytes); the value never leaves the server unsealed. */
export function sealMapping(entries: Record<string, string>, key: Buffer): SealedMapping {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const ciphertext = Buffer.concat([cipher.update(JSON.stringify(entries), 'utf8'), cipher.final()]);
  return {
    iv: iv.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    ciphertext: ciphertext.toString('base64'),
  };
}

export function openMapping(sealed: SealedMapping, key: Buffer): Record<string, string> {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'));
    decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
    const plain = Buffer.concat([
      decipher.update(Buffer.from(sealed.ciphertext, 'base64')),
      decipher.final(),
    ]);
    return JSON.parse(plain.toString('utf8')) as Record<string, string>;
  } catch (error) {
    throw new KeelError('forbidden', 'The pseudonym mapping cannot be opened with this server key.', {
      cause: error,
    });
  }
}
