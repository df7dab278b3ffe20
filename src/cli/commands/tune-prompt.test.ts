/**
 * `keel tune prompt` against a server whose model answers well only when told the answer format.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ListeningServer, listen } from '../../server/listen.js';
import { runKeelCli } from '../../testing/cli-io.js';
import { createDayFixtures, formatAwareProvider } from '../../testing/prompt-search-fixture.js';
import { createTestKeel, type TestKeel } from '../../testing/test-keel.js';

let keel: TestKeel;
let server: ListeningServer;
beforeAll(async () => {
  keel = await createTestKeel({ providers: [formatAwareProvider()] });
  server = await listen(keel.app);
  expect(await createDayFixtures(keel)).toEqual([201, 200, 200]);
});
afterAll(async () => {
  await server?.close();
  await keel?.close();
});

const keelCli = (...args: string[]) => runKeelCli({ url: server.url, key: keel.adminKey }, args);
/** `keel tune prompt sentiment` scored by accuracy on a dataset, within 100 calls and a token budget. */
const tuneSentiment = (dataset: string, tokens: string, ...flags: string[]) =>
  keelCli(
    'tune',
    'prompt',
    'sentiment',
    '--dataset',
    dataset,
    '--metric',
    'accuracy',
    '--calls',
    '100',
    '--tokens',
    tokens,
    ...flags,
  );

describe('keel tune prompt', () => {
  it('runs the search, prints the trace and saves the winner', async () => {
    const run = await tuneSentiment(
      'days',
      '100000',
      '--propose',
      '0',
      '--k',
      '2',
      '--no-per-input',
      '--joint',
      '0',
    );
    expect(run.err).not.toContain('failed');
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/baseline\s+baseline\s+0\.0000\s+12 calls/);
    expect(run.out).toContain('accuracy: baseline 0.0000, best 1.0000 (format-1)');
    expect(run.out).toContain('Saved sentiment v2 (from v1): format-1.');
    // One fixed example set, no per-input retrieval.
    expect(run.out).toContain('few-shot-2 ');
    expect(run.out).not.toContain('per-input');
    expect(run.out).toMatch(
      /Evaluation runs: untuned (evr_\w+), winner (evr_\w+) \(keel eval compare \1 \2\)/,
    );
  });

  it('reports bad input with its code', async () => {
    const run = await tuneSentiment('days-unlabelled', '1000');
    expect(run.code).not.toBe(0);
    expect(run.err).toContain('no labels or reference outputs');
    const missing = await keelCli('tune', 'prompt', 'sentiment', '--dataset', 'days');
    expect(missing.code).not.toBe(0);
    expect(missing.err).toContain('--metric <name> is required');
    const useCase = await tuneSentiment('days', '1000', '--use-case', 'guc_nope');
    expect(useCase.code).not.toBe(0);
    expect(useCase.err).toContain('guc_nope');
    const noSplit = await tuneSentiment('days', '1000', '--test-split', 'holdout');
    expect(noSplit.code).not.toBe(0);
    expect(noSplit.err).toContain('no items in split holdout');
  });
});
