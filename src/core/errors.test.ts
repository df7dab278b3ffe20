import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { boundedIssues, clipText, issuesFromZod, KeelError, MAX_ISSUES } from './errors.js';

const strict = z.strictObject({ name: z.string(), count: z.number() });

describe('bounded errors', () => {
  it('names a few of 50,000 unknown fields and counts the rest', () => {
    const body: Record<string, unknown> = { name: 'x', count: 1 };
    for (let i = 0; i < 50_000; i++) body[`field_${i}`] = i;
    const issues = issuesFromZod(strict.safeParse(body).error!.issues);
    expect(issues).toHaveLength(1);
    expect(issues[0]!.message).toBe(
      'Unrecognized keys: "field_0", "field_1", "field_2", "field_3", "field_4" and 49995 more',
    );
  });

  it('cuts an echoed 1 MB value to 200 characters, in messages and paths', () => {
    const huge = 'q'.repeat(1_000_000);
    const issues = issuesFromZod(strict.safeParse({ name: 'x', count: 1, [huge]: 1 }).error!.issues);
    expect(issues[0]!.message.length).toBeLessThan(300);
    const error = new KeelError('not_found', `Model ${huge} not found.`, {
      issues: [{ code: 'custom', path: [huge, 3], message: `no ${huge}` }],
    });
    const json = JSON.stringify(error.toJSON());
    expect(json.length).toBeLessThan(1000);
    expect(error.message).toBe(`Model ${clipText(huge)} not found.`);
    expect(error.message).toContain('(999800 more characters)');
  });

  it('keeps the first issues and one that counts the others', () => {
    const many = z.array(z.number()).safeParse(Array.from({ length: 500 }, () => 'x'));
    const issues = issuesFromZod(many.error!.issues);
    expect(issues).toHaveLength(MAX_ISSUES + 1);
    expect(issues[0]!.path).toEqual([0]);
    expect(issues[MAX_ISSUES]).toEqual({
      code: 'too_many_issues',
      path: [],
      message: '480 more issues not shown.',
    });
    // Handing bounded issues to an error bounds nothing twice.
    expect(new KeelError('invalid_request', 'bad', { issues }).issues).toEqual(issues);
    expect(boundedIssues(issues)).toEqual(issues);
  });

  it('never cuts a surrogate pair in half', () => {
    expect(clipText(`${'a'.repeat(199)}😀tail`)).toBe(`${'a'.repeat(199)}… (6 more characters)`);
  });
});
