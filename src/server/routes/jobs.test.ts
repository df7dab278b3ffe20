import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobDetailSchema, jobJsonSchema } from '../../api/jobs.js';
import { KeelError } from '../../core/errors.js';
import type { JobContext } from '../../jobs/index.js';
import { createTestKeel, type TestKeel } from '../../testing/test-keel.js';

let keel: TestKeel;
let projectId: string;
const gates = new Map<string, () => void>();

beforeAll(async () => {
  keel = await createTestKeel();
  projectId = keel.services.installation.defaultProjectId;
  keel.services.jobs.register<{ gate: string; items?: string[] }, { items: number }>('test.gated', {
    concurrency: 4,
    describe: (payload) => ({ gate: payload.gate }),
    async run(ctx: JobContext<{ gate: string; items?: string[] }>) {
      await ctx.progress(0, 2, 'waiting for the gate');
      await new Promise<void>((resolve, reject) => {
        gates.set(ctx.payload.gate, resolve);
        ctx.signal.addEventListener('abort', () => reject(new Error('stopped')));
      });
      for (const item of ctx.payload.items ?? [])
        await ctx.item(`item:${item}`, async () => {
          if (item === 'bad') throw new KeelError('unprocessable', 'bad item');
          return item;
        });
      await ctx.progress(2, 2, 'done');
      return { items: ctx.payload.items?.length ?? 0 };
    },
  });
}, 300_000);
afterAll(async () => {
  await keel?.close();
});

const enqueue = (gate: string, items?: string[]) =>
  keel.services.jobs.enqueue({
    projectId,
    kind: 'test.gated',
    payload: { gate, ...(items ? { items } : {}) },
  });

async function openGate(gate: string): Promise<void> {
  for (let i = 0; i < 500 && !gates.has(gate); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  gates.get(gate)!();
}

async function keyFor(role: string, project?: string): Promise<string> {
  const response = await keel.call('/api/v1/keys', {
    json: { name: `${role}-${Math.random()}`, role },
    ...(project ? { headers: { 'x-keel-project': project } } : {}),
  });
  return ((await response.json()) as { key: string }).key;
}

describe('/api/v1/jobs', () => {
  it('streams a job over SSE: its state first, then changes and lifecycle records until it ends', async () => {
    const job = await enqueue('sse');
    const response = await keel.call(`/api/v1/jobs/${job.id}/events`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const text = response.text();
    await openGate('sse');
    const events = (await text)
      .trim()
      .split('\n\n')
      .map((block) => {
        const [event, data] = block.split('\n') as [string, string];
        return { event: event.replace('event: ', ''), data: JSON.parse(data.replace('data: ', '')) };
      });
    const states = events
      .filter((event) => event.event === 'state')
      .map((event) => jobJsonSchema.parse(event.data));
    expect(states[0]!.id).toBe(job.id);
    expect(states.at(-1)).toMatchObject({
      status: 'succeeded',
      progress: { done: 2, total: 2 },
      summary: { gate: 'sse' },
    });
    expect(events.filter((event) => event.event === 'log').map((event) => event.data.type)).toEqual(
      expect.arrayContaining(['started', 'succeeded']),
    );
  });

  it('lists and shows the project’s jobs with per-item failures, filtered by kind and status', async () => {
    const job = await enqueue('items', ['a', 'bad', 'b']);
    await openGate('items');
    await keel.services.jobs.wait(job.id);
    const detail = jobDetailSchema.parse(await (await keel.call(`/api/v1/jobs/${job.id}`)).json());
    expect(detail).toMatchObject({ status: 'succeeded', result: { items: 3 }, failures_count: 1 });
    expect(detail.failures).toEqual([
      { item: 'item:bad', label: null, code: 'unprocessable', message: 'bad item' },
    ]);
    const listed = (await (await keel.call('/api/v1/jobs?kind=test.gated&status=succeeded')).json()) as {
      jobs: { id: string }[];
    };
    expect(listed.jobs.map((entry) => entry.id)).toContain(job.id);
    const none = (await (await keel.call('/api/v1/jobs?kind=rag.ingest')).json()) as { jobs: unknown[] };
    expect(none.jobs).toEqual([]);
    const bad = await keel.call('/api/v1/jobs?status=sleeping');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { issues: { path: string[] }[] } }).error.issues[0]!.path).toEqual(
      ['status'],
    );
  });

  it('lets viewers read but not cancel; editors cancel; other projects see nothing', async () => {
    const job = await enqueue('cancel');
    const viewer = await keyFor('viewer');
    expect((await keel.call(`/api/v1/jobs/${job.id}`, { key: viewer })).status).toBe(200);
    expect((await keel.call(`/api/v1/jobs/${job.id}/cancel`, { key: viewer, method: 'POST' })).status).toBe(
      403,
    );

    const project = (await (
      await keel.call('/api/v1/projects', { json: { name: 'jobs-other' } })
    ).json()) as {
      id: string;
    };
    const outsider = await keyFor('admin', project.id);
    expect((await keel.call(`/api/v1/jobs/${job.id}`, { key: outsider })).status).toBe(404);
    expect((await keel.call(`/api/v1/jobs/${job.id}/cancel`, { key: outsider, method: 'POST' })).status).toBe(
      404,
    );
    expect(
      ((await (await keel.call('/api/v1/jobs', { key: outsider })).json()) as { jobs: unknown[] }).jobs,
    ).toEqual([]);

    const editor = await keyFor('editor');
    const cancelled = await keel.call(`/api/v1/jobs/${job.id}/cancel`, { key: editor, method: 'POST' });
    expect(cancelled.status).toBe(200);
    expect(jobJsonSchema.parse(await cancelled.json()).cancel_requested).toBe(true);
    expect(await keel.services.jobs.wait(job.id)).toMatchObject({ status: 'cancelled' });
    expect((await keel.call('/api/v1/jobs/job_missing')).status).toBe(404);
  });
});
