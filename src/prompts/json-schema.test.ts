import { describe, expect, it } from 'vitest';
import { parseJsonOutput } from './json-output.js';
import { schemaIssues, validateAgainst } from './json-schema.js';

describe('schemaIssues', () => {
  it('accepts 2020-12 and draft-07 schemas, with formats and vendor keywords', () => {
    expect(
      schemaIssues({
        type: 'object',
        properties: { email: { type: 'string', format: 'email' } },
        'x-ui': 'wide',
      }),
    ).toEqual([]);
    expect(
      schemaIssues({
        $schema: 'http://json-schema.org/draft-07/schema#',
        type: 'array',
        items: [{ type: 'string' }],
      }),
    ).toEqual([]);
  });

  it('rejects what is not a schema, with paths', () => {
    expect(schemaIssues({ type: 'objekt' })[0]!.path).toEqual(['type']);
    expect(schemaIssues({ properties: { a: { minLength: -1 } } })[0]!.path).toEqual([
      'properties',
      'a',
      'minLength',
    ]);
    expect(schemaIssues({ $ref: '#/$defs/missing' })[0]).toMatchObject({ code: 'invalid_schema' });
    expect(schemaIssues({ $schema: 'http://json-schema.org/draft-04/schema#' })[0]).toMatchObject({
      code: 'unsupported_dialect',
    });
  });
});

describe('validateAgainst', () => {
  const schema = {
    type: 'object',
    properties: {
      category: { enum: ['delivery', 'billing'] },
      items: { type: 'array', items: { type: 'object', properties: { qty: { type: 'integer' } } } },
      email: { type: 'string', format: 'email' },
    },
    required: ['category'],
    additionalProperties: false,
  };

  it('lists every violation with the offending property in the path', () => {
    const issues = validateAgainst(schema, {
      items: [{ qty: 1 }, { qty: 'two' }],
      email: 'nope',
      extra: true,
    });
    expect(issues.map((issue) => [issue.code, issue.path.join('.')])).toEqual([
      ['required', 'category'],
      ['additionalProperties', 'extra'],
      ['type', 'items.1.qty'],
      ['format', 'email'],
    ]);
    expect(validateAgainst(schema, { category: 'billing' })).toEqual([]);
    expect(validateAgainst(schema, { category: 'x' })[0]!.message).toBe(
      'must be equal to one of the allowed values: "delivery", "billing"',
    );
  });
});

describe('parseJsonOutput', () => {
  it('reads bare, fenced and embedded JSON', () => {
    expect(parseJsonOutput(' {"a":1} ')).toEqual({ ok: true, value: { a: 1 } });
    expect(parseJsonOutput('```json\n[1, 2]\n```')).toEqual({ ok: true, value: [1, 2] });
    expect(parseJsonOutput('결과는 다음과 같습니다: {"분류": "배송"} 감사합니다.')).toEqual({
      ok: true,
      value: { 분류: '배송' },
    });
    expect(parseJsonOutput('null')).toEqual({ ok: true, value: null });
  });

  it('says why output is not JSON', () => {
    const result = parseJsonOutput('{"a": ');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues[0]!.code).toBe('invalid_json');
    const empty = parseJsonOutput('  ');
    if (!empty.ok) expect(empty.issues[0]!.message).toBe('the output is empty');
  });
});
