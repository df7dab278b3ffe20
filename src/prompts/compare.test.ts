import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProviderRegistry } from '../models/provider-registry.js';
import { createEchoProvider } from '../testing/echo-provider.js';
import { createTestKeel, type TestKeel } from '../testing/test-keel.js';
import { planCompare } from './compare.js';
import { catalogPrices, costOf, tablePrices } from './price-book.js';
import { type Caller, PromptLab } from './prompt-lab.js';

let keel: TestKeel;
let lab: PromptLab;
let caller: Caller;

beforeAll(async () => {
  keel = await createTestKeel({
    // Each model streams one word every 20 ms, so a four-word answer takes about 80 ms.
    providers: ['a', 'b', 'c', 'd'].map((name) => createEchoProvider({ name, delayMs: 20 })),
  });
  lab = new PromptLab({
    ...keel.services,
    prices: tablePrices({ 'a:reverse': { input: 2, output: 10 }, 'b:reverse': { input: 0, output: 0 } }),
  });
  caller = { projectId: keel.services.installation.defaultProjectId, keyId: null, actor: 'tester' };
});
afterAll(async () => {
  await keel?.close();
});

describe('planCompare', () => {
  it('runs cells concurrently within the limit: wall time near the slowest cell, not the sum', async () => {
    // time_limit routes generation through the stream, where the echo model's delay applies.
    const plan = await planCompare(lab, caller, {
      variants: [
        { template: { mode: 'freeform', text: 'one two three {{x}}', parameters: { time_limit: 60_000 } } },
      ],
      models: ['a:reverse', 'b:reverse', 'c:reverse', 'd:reverse'],
      inputs: [{ x: 'four' }, { x: 'vier' }],
      concurrency: 8,
    });
    const cells: number[] = [];
    const result = await plan.run((cell) => cells.push(cell.column));
    expect(cells).toHaveLength(8);
    const latencies = result.rows.flatMap((row) => row.cells.map((cell) => cell.latency_ms));
    const sum = latencies.reduce((total, latency) => total + latency, 0);
    expect(Math.min(...latencies)).toBeGreaterThanOrEqual(60);
    expect(result.wall_ms).toBeLessThan(sum / 3);
  });

  it('prices cells from the price table and leaves unknown prices null', async () => {
    const plan = await planCompare(lab, caller, {
      variants: [{ template: { mode: 'freeform', text: 'w1 w2 w3 w4 w5' } }],
      models: ['a:reverse', 'b:reverse', 'c:reverse'],
    });
    const result = await plan.run();
    const [a, b, c] = result.rows[0]!.cells;
    // 5 input and 5 output tokens at $2 and $10 per million.
    expect(a!.cost).toEqual({ currency: 'USD', input: 0.00001, output: 0.00005, total: 0.00006 });
    expect(b!.cost!.total).toBe(0);
    expect(c!.cost).toBeNull();
    expect(result.summary.map((column) => column.cost)).toEqual([0.00006, 0, null]);
  });

  it('runs one at a time with concurrency 1', async () => {
    const plan = await planCompare(lab, caller, {
      variants: [{ template: { mode: 'freeform', text: 'x y', parameters: { time_limit: 60_000 } } }],
      models: ['a:reverse', 'b:reverse'],
      concurrency: 1,
    });
    const result = await plan.run();
    const sum = result.rows[0]!.cells.reduce((total, cell) => total + cell.latency_ms, 0);
    expect(result.wall_ms).toBeGreaterThanOrEqual(sum * 0.9);
  });
});

describe('price book', () => {
  it('reads the catalog for local llama.cpp models and knows nothing of others', () => {
    const local = { ...createEchoProvider({ name: 'llamacpp' }), type: 'llamacpp' };
    const prices = catalogPrices(new ProviderRegistry([local, createEchoProvider({ name: 'remote' })]));
    expect(prices('llamacpp:granite-3.3-2b-instruct')).toEqual({ input: 0, output: 0 });
    expect(prices('llamacpp:my-own-finetune')).toEqual({ input: 0, output: 0 });
    expect(prices('remote:reverse')).toBeUndefined();
    expect(prices('nowhere:model')).toBeUndefined();
    expect(costOf(undefined, { inputTokens: 1, outputTokens: 1 })).toBeNull();
  });
});
