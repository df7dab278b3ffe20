import { describe, expect, it } from 'vitest';
import { type AuditRow, canonicalRecord, recordJson, rowToRecord } from './audit-record.js';
import { canonicalJson, digestOf } from './canonical-json.js';

describe('canonicalJson', () => {
  it('sorts keys by UTF-16 code units, at every depth, without whitespace', () => {
    expect(canonicalJson({ b: 1, a: [{ z: true, y: null }], é: 'x', A: 2 })).toBe(
      '{"A":2,"a":[{"y":null,"z":true}],"b":1,"é":"x"}',
    );
    // RFC 8785 §3.2.3: code-unit order puts U+20AC before U+1F600 (surrogate pair D83D…).
    expect(canonicalJson({ '😀': 1, '€': 2, '\r': 3 })).toBe('{"\\r":3,"€":2,"😀":1}');
  });

  it('writes numbers and strings as ECMAScript does, and leaves out undefined members', () => {
    expect(canonicalJson([1e21, 0.1, -0, 1.5e-7, 'a"\u0000\u2028'])).toBe(
      '[1e+21,0.1,0,1.5e-7,"a\\"\\u0000\u2028"]',
    );
    expect(canonicalJson({ a: undefined, b: Number.NaN, c: 10n })).toBe('{"b":null,"c":"10"}');
    expect(canonicalJson(new Date(0))).toBe('"1970-01-01T00:00:00.000Z"');
    expect(canonicalJson(Buffer.from('hi'))).toBe('"aGk="');
  });

  it('gives the same digest for the same state however its keys were ordered', () => {
    expect(digestOf({ a: 1, b: { c: 2, d: 3 } })).toBe(digestOf({ b: { d: 3, c: 2 }, a: 1 }));
    expect(digestOf({ a: 1 })).toMatch(/^[0-9a-f]{64}$/);
    expect(digestOf(null)).toBeNull();
  });
});

describe('canonicalRecord', () => {
  it('equals the generic canonical JSON of the record', () => {
    const row: AuditRow = {
      seq: 42,
      at: 1_700_000_000_123,
      actor_key_id: 'key_1',
      actor_user_id: null,
      actor_role: 'admin',
      project_id: 'prj_1',
      action: 'template.version.create',
      target_type: 'template',
      target_id: 'tpl_"quoted"\n',
      before_digest: null,
      after_digest: 'ab'.repeat(32),
      request_id: 'req_1',
      detail: canonicalJson({ version: 3, label: '한국어' }),
      prev_hash: new Uint8Array(32),
      hash: new Uint8Array(32),
      signature: null,
    };
    expect(canonicalRecord(row, row.seq)).toBe(canonicalJson(recordJson(rowToRecord(row))));
    expect(canonicalRecord({ ...row, detail: null }, 1)).toBe(
      canonicalJson(recordJson({ ...rowToRecord(row), detail: null, seq: 1 })),
    );
  });
});
