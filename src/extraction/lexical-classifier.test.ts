import { describe, expect, it } from 'vitest';
import { predefinedSchemas, resolveTaxonomy } from './classification-schemas.js';
import { classifyLexically, lexicalTerms } from './lexical-classifier.js';
import { headVerdict, parseModelAnswer } from './model-classifier.js';

const taxonomy = resolveTaxonomy({
  schemas: [
    {
      document_type: 'Incident report',
      document_description:
        'An outage write-up: timeline, root cause, impact, remediation and follow-up actions.',
      fields: { root_cause: { description: 'why the service failed' } },
    },
  ],
});

describe('the lexical classifier', () => {
  it('matches a document to the type whose profile it contains', () => {
    const invoice =
      'INVOICE No. 2024-118\nInvoice date: 3 May 2024  Due date: 2 June 2024\nVendor name: Acme Ltd\n' +
      '| Item | Qty | Price |\n| Widgets | 4 | 12.00 |\nSubtotal 48.00  Tax 4.80  Total amount due 52.80';
    expect(classifyLexically(invoice, taxonomy).document_type).toBe('Invoice');
    const incident =
      'Postmortem. Timeline: 09:12 alerts fired. Root cause: an expired certificate. Impact: 40 minutes of ' +
      'errors. Remediation: rotated the certificate. Follow-up actions: automate renewal.';
    expect(classifyLexically(incident, taxonomy).document_type).toBe('Incident report');
  });

  it('reads Korean documents through character bigrams', () => {
    const slip =
      '2024년 5월 급여명세서\n성명: 홍길동\n기본급 3,000,000원, 공제 합계 320,000원, 실수령액 2,680,000원';
    expect(classifyLexically(slip, predefinedSchemas).document_type).toBe('Pay slip');
    expect(lexicalTerms('급여명세서를')).toContain('명세');
  });

  it('leaves a document that fits no type unclassified', () => {
    const verdict = classifyLexically('The quick brown fox jumps over the lazy dog.', taxonomy);
    expect(verdict.document_type).toBeNull();
    expect(verdict.scores).toHaveLength(taxonomy.length);
  });
});

describe('taxonomies', () => {
  it('merges the user types with the predefined ones, or replaces them', () => {
    expect(taxonomy.map((schema) => schema.document_type)).toContain('Invoice');
    const only = resolveTaxonomy({
      schemas_merge_strategy: 'replace',
      schemas: [{ document_type: 'Memo', document_description: 'an internal note' }],
    });
    expect(only.map((schema) => schema.document_type)).toEqual(['Memo']);
    expect(() => resolveTaxonomy({ schemas_merge_strategy: 'replace' })).toThrow(/at least one schema/);
  });
});

describe('model and head answers', () => {
  it('reads JSON or a named label, and nothing outside the set', () => {
    expect(parseModelAnswer('{"document_type": "invoice"}', taxonomy).document_type).toBe('Invoice');
    expect(parseModelAnswer('This looks like a Bank statement to me.', taxonomy).document_type).toBe(
      'Bank statement',
    );
    expect(parseModelAnswer('{"document_type": "none"}', taxonomy).document_type).toBeNull();
    expect(parseModelAnswer('{"document_type": "Poem"}', taxonomy).document_type).toBeNull();
  });

  it('answers with the best label of the head when the taxonomy names it, else not classified', () => {
    const scores = [
      { label: 'invoice', probability: 0.7 },
      { label: 'spam', probability: 0.2 },
      { label: 'receipt', probability: 0.1 },
    ];
    expect(headVerdict(scores, taxonomy).document_type).toBe('Invoice');
    expect(headVerdict(scores, null).document_type).toBe('invoice');
    const spam = [
      { label: 'spam', probability: 0.7 },
      { label: 'invoice', probability: 0.3 },
    ];
    expect(headVerdict(spam, taxonomy)).toMatchObject({
      document_type: null,
      scores: [{ document_type: 'Invoice' }],
    });
  });
});
