import { describe, expect, it } from 'vitest';
import { KeelError } from '../core/errors.js';
import { limitConcurrency } from './limit-concurrency.js';
import { checkBudget, estimateTokens } from './token-budget.js';

describe('token estimates and budgets', () => {
  it('counts Hangul about one token a syllable and Latin text about four characters a token', () => {
    expect(estimateTokens('회의록을 요약해 주세요')).toBe(10 + 1);
    expect(estimateTokens('Summarise the minutes')).toBe(6);
    expect(estimateTokens('')).toBe(0);
  });

  it('reports the room left and refuses what does not fit, with the counts', () => {
    const count = { inputTokens: 900, method: 'tokenizer' as const, exact: true };
    expect(checkBudget({ count, maxNewTokens: 100, contextLength: 1024, modelId: 'm:x' })).toEqual({
      input_tokens: 900,
      method: 'tokenizer',
      exact: true,
      max_new_tokens: 100,
      context_length: 1024,
      remaining: 24,
    });
    expect(
      checkBudget({ count, maxNewTokens: 100, contextLength: undefined, modelId: 'm:x' }).remaining,
    ).toBeNull();
    let error: unknown;
    try {
      checkBudget({
        count: { ...count, method: 'estimate', exact: false },
        maxNewTokens: 200,
        contextLength: 1024,
        modelId: 'm:x',
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(KeelError);
    expect((error as KeelError).code).toBe('context_length_exceeded');
    expect((error as KeelError).message).toBe(
      'The prompt takes about 900 tokens (estimated) and max_new_tokens is 200: 1100 tokens do not fit the 1024-token context window of m:x.',
    );
    expect(
      checkBudget({ count, maxNewTokens: 200, contextLength: 1024, truncateInputTokens: 500, modelId: 'm:x' })
        .remaining,
    ).toBe(324);
  });
});

describe('limitConcurrency', () => {
  it('never runs more than the limit at once, starts tasks in order, and passes errors through', async () => {
    const limit = limitConcurrency(2);
    let active = 0;
    let peak = 0;
    const started: number[] = [];
    const task = (index: number) =>
      limit(async () => {
        started.push(index);
        active++;
        peak = Math.max(peak, active);
        await new Promise((resolve) => setTimeout(resolve, 5));
        active--;
        if (index === 3) throw new Error('three');
        return index;
      });
    const results = await Promise.allSettled([0, 1, 2, 3, 4, 5].map(task));
    expect(peak).toBe(2);
    expect(started).toEqual([0, 1, 2, 3, 4, 5]);
    expect(
      results.map((result) =>
        result.status === 'fulfilled' ? result.value : (result.reason as Error).message,
      ),
    ).toEqual([0, 1, 2, 'three', 4, 5]);
    expect(() => limitConcurrency(0)).toThrow(RangeError);
  });
});
