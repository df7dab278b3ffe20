/**
 * Token taggers through the API: trained as a `tuning.head` job on tagged sentences, listed with
 * their span-level report, used by `/api/v1/heads/{name}/tag` and served as the model
 * `head:<name>` (which answers with the entities as JSON), and as a guardrail detector.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHashingProvider } from '../../../models/providers/hashing/index.js';
import { createEchoProvider } from '../../../testing/echo-provider.js';
import { createTestKeel, type TestKeel } from '../../../testing/test-keel.js';

let keel: TestKeel;

beforeAll(async () => {
  // The hashing embedding model (hashing:ngram-v1) for the tagger on embedding features.
  keel = await createTestKeel({ providers: [createEchoProvider(), createHashingProvider()] });
});
afterAll(async () => {
  await keel?.close();
});

async function call(path: string, json?: unknown) {
  const res = await keel.call(path, json === undefined ? {} : { method: 'POST', json });
  return { status: res.status, body: await res.json() };
}

function sentences() {
  const people = ['Kim', 'Park', 'Lee', 'Choi'];
  const out: { tokens: string[]; tags: string[] }[] = [];
  for (let i = 0; i < 24; i++) {
    out.push({
      tokens: ['please', 'call', people[i % 4] as string, 'Jiwoo', 'tomorrow'],
      tags: ['O', 'O', 'B-PER', 'I-PER', 'O'],
    });
    out.push({ tokens: ['the', 'report', 'is', 'late'], tags: ['O', 'O', 'O', 'O'] });
  }
  return out;
}

async function train(body: Record<string, unknown>) {
  const started = await call('/api/v1/tuning/jobs', {
    type: 'head',
    method: 'tagger',
    features: { dimensions: 4096 },
    ...body,
  });
  if (started.status !== 202) return started.body;
  for (;;) {
    const job = (await call(`/api/v1/jobs/${started.body.id}`)).body;
    if (['succeeded', 'failed', 'cancelled'].includes(job.status)) return job;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('token taggers', () => {
  it('trains a tagger, tags texts and serves it as head:<name>', async () => {
    const job = await train({ name: 'people', sentences: sentences(), options: { seed: 5 } });
    expect(job.status).toBe('succeeded');

    const versions = (await call('/api/v1/heads/people')).body.versions;
    expect(versions[0]).toMatchObject({
      kind: 'tagger',
      labels: ['B-PER', 'I-PER', 'O'],
      hyper_parameters: expect.objectContaining({ window: 2, tokenization: 'word', seed: 5 }),
      spans: expect.objectContaining({ f1: expect.any(Number), per_type: expect.any(Object) }),
    });
    expect(versions[0].spans.f1).toBeGreaterThan(0.9);

    const tagged = await call('/api/v1/heads/people/tag', { texts: ['please call Park Jiwoo tomorrow'] });
    expect(tagged.status).toBe(200);
    expect(tagged.body.results[0].entities).toEqual([
      expect.objectContaining({ type: 'PER', text: 'Park Jiwoo', start: 12, end: 22 }),
    ]);
    expect(tagged.body.results[0].tokens.map((t: { tag: string }) => t.tag)).toEqual([
      'O',
      'O',
      'B-PER',
      'I-PER',
      'O',
    ]);

    const chat = await call('/v1/chat/completions', {
      model: 'head:people',
      messages: [{ role: 'user', content: 'please call Lee Jiwoo tomorrow' }],
    });
    expect(chat.status).toBe(200);
    const answer = JSON.parse(chat.body.choices[0].message.content);
    expect(answer.entities.map((e: { text: string }) => e.text)).toEqual(['Lee Jiwoo']);

    // As a guardrail detector: one span per entity of the named types.
    const off = { enabled: false };
    const check = await call('/api/v1/guardrails/check', {
      text: 'please call Kim Jiwoo tomorrow',
      direction: 'input',
      policy: {
        input: {
          pii: off,
          hap: off,
          injection: off,
          heads: [{ model: 'head:people', labels: ['PER'], threshold: 0.5, action: 'block' }],
        },
        output: { pii: off, hap: off, injection: off },
      },
    });
    expect(check.status).toBe(200);
    expect(check.body.blocked).toBe(true);
    expect(check.body.spans[0]).toMatchObject({ detector: 'head:people', type: 'PER', start: 12, end: 21 });

    // A tagger does not classify, and a classifier does not tag.
    const classify = await call('/api/v1/heads/people/classify', { texts: ['x'] });
    expect(classify.status).toBe(400);
    expect(classify.body.error.issues[0].code).toBe('head_is_tagger');
  });

  it('trains a tagger on a registry embedding model, stores it and tags and serves through that model', async () => {
    const job = await train({
      name: 'people-embedded',
      sentences: sentences(),
      features: { model: 'hashing:ngram-v1' },
      options: { seed: 5 },
    });
    expect(job.error ?? null).toBeNull();
    expect(job.status).toBe('succeeded');
    const [version] = (await call('/api/v1/heads/people-embedded')).body.versions;
    expect(version).toMatchObject({ kind: 'tagger', base_encoder: 'hashing:ngram-v1' });
    expect(version.features).toMatchObject({ kind: 'embedding', model: 'hashing:ngram-v1', dimensions: 512 });
    expect(version.spans.f1).toBeGreaterThan(0.9);
    const tagged = await call('/api/v1/heads/people-embedded/tag', {
      texts: ['please call Choi Jiwoo tomorrow'],
    });
    expect(tagged.status).toBe(200);
    expect(tagged.body.results[0].entities).toEqual([
      expect.objectContaining({ type: 'PER', text: 'Choi Jiwoo', start: 12, end: 22 }),
    ]);
    const chat = await call('/v1/chat/completions', {
      model: 'head:people-embedded',
      messages: [{ role: 'user', content: 'please call Kim Jiwoo tomorrow' }],
    });
    expect(
      JSON.parse(chat.body.choices[0].message.content).entities.map((e: { text: string }) => e.text),
    ).toEqual(['Kim Jiwoo']);
  });

  it('refuses bad tagger datasets with coded errors and registers nothing', async () => {
    const noSentences = await train({ name: 'empty', examples: [{ text: 'a', label: 'b' }] });
    expect(noSentences.error.code).toBe('invalid_request');
    expect(noSentences.error.issues[0].path).toEqual(['sentences']);

    const allO = await train({ name: 'plain', sentences: [{ tokens: ['a', 'b'], tags: ['O', 'O'] }] });
    expect(allO.error.issues[0].code).toBe('single_class');

    const mismatch = await train({
      name: 'broken',
      sentences: [...sentences(), { tokens: ['a', 'b'], tags: ['O'] }],
    });
    expect(mismatch.status).toBe('failed');
    expect(mismatch.error.code).toBe('invalid_dataset');
    expect((await call('/api/v1/heads/broken')).status).toBe(404);
  });
});
