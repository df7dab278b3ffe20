import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { KeelError } from '../core/errors.js';
import type { DatabaseV1 } from '../spec/database.js';
import { createTestDatabase } from '../testing/database.js';
import { JobService } from './job-service.js';
import type { Job, JobContext, JobServiceOptions } from './job-types.js';
import { backoffDelay } from './retry.js';

// One database for the file (each test uses its own kinds): creating one costs seconds here.
let db: DatabaseV1;
const open: { services: JobService[] }[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
}, 120_000);
afterAll(async () => {
  await db?.close();
});

async function setup(options: Partial<JobServiceOptions> = {}, count = 1) {
  const services = Array.from(
    { length: count },
    (_, n) => new JobService({ db, pollMs: 20, leaseMs: 5_000, owner: `w${n}`, ...options }),
  );
  open.push({ services });
  return { db, services, jobs: services[0]! };
}

afterEach(async () => {
  for (const { services } of open.splice(0)) for (const service of services) await service.stop();
});

const until = async (check: () => Promise<boolean> | boolean, ms = 5_000) => {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

describe('JobService', () => {
  it('runs a job, records progress and result, and streams its state until the end', async () => {
    const { jobs } = await setup();
    jobs.register<{ n: number }, { sum: number }>('test.count', {
      async run(ctx) {
        let sum = 0;
        for (let i = 1; i <= ctx.payload.n; i++) {
          sum += i;
          await ctx.progress(i, ctx.payload.n, `item ${i}`);
        }
        return { sum };
      },
    });
    await jobs.start();
    const job = await jobs.enqueue({ projectId: 'p1', kind: 'test.count', payload: { n: 4 }, total: 4 });
    expect(job).toMatchObject({ status: 'queued', progress: { done: 0, total: 4 } });
    const states: Job[] = [];
    const types: string[] = [];
    for await (const event of jobs.follow(job.id)) {
      if (event.type === 'state') states.push(event.job);
      else types.push(event.event.type);
    }
    const last = states.at(-1)!;
    expect(last).toMatchObject({
      status: 'succeeded',
      result: { sum: 10 },
      attempts: 1,
      progress: { done: 4 },
    });
    expect(last.leaseOwner).toBeNull();
    expect(types).toEqual(expect.arrayContaining(['started', 'succeeded']));
    await expect(jobs.get(job.id, { projectId: 'other' })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('returns the same job for the same idempotency key', async () => {
    const { jobs } = await setup();
    const a = await jobs.enqueue({ projectId: 'p', kind: 'test.idem', payload: {}, idempotencyKey: 'k' });
    const b = await jobs.enqueue({ projectId: 'p', kind: 'test.idem', payload: {}, idempotencyKey: 'k' });
    const c = await jobs.enqueue({ projectId: 'q', kind: 'test.idem', payload: {}, idempotencyKey: 'k' });
    expect(b.id).toBe(a.id);
    expect(c.id).not.toBe(a.id);
  });

  it('retries retryable failures with backoff and gives up after max attempts', async () => {
    const { jobs } = await setup({ backoff: { baseMs: 30, maxMs: 100 } });
    const starts: number[] = [];
    jobs.register('test.flaky', {
      maxAttempts: 3,
      async run(ctx) {
        starts.push(Date.now());
        if (ctx.job.attempts < 3) throw new KeelError('network_error', 'upstream went away');
        return { attempt: ctx.job.attempts };
      },
    });
    jobs.register('test.broken', {
      async run() {
        throw new KeelError('network_error', 'always down');
      },
    });
    jobs.register('test.invalid', {
      async run() {
        throw new KeelError('unprocessable', 'bad input');
      },
    });
    await jobs.start();
    const flaky = await jobs.enqueue({ projectId: 'p', kind: 'test.flaky', payload: {} });
    const broken = await jobs.enqueue({ projectId: 'p', kind: 'test.broken', payload: {}, maxAttempts: 2 });
    const invalid = await jobs.enqueue({ projectId: 'p', kind: 'test.invalid', payload: {} });
    expect(await jobs.wait(flaky.id)).toMatchObject({
      status: 'succeeded',
      attempts: 3,
      result: { attempt: 3 },
    });
    // The waits grow: ≥ half of 30 ms, then ≥ half of 60 ms.
    expect(starts[1]! - starts[0]!).toBeGreaterThanOrEqual(15);
    expect(starts[2]! - starts[1]!).toBeGreaterThanOrEqual(30);
    expect(await jobs.wait(broken.id)).toMatchObject({
      status: 'failed',
      attempts: 2,
      error: { code: 'network_error' },
    });
    expect(await jobs.wait(invalid.id)).toMatchObject({
      status: 'failed',
      attempts: 1,
      error: { code: 'unprocessable' },
    });
    const log = [];
    for await (const event of jobs.follow(flaky.id)) if (event.type === 'log') log.push(event.event.type);
    expect(log.filter((type) => type === 'retry_scheduled')).toHaveLength(2);
  });

  it('fails at once a job whose kind does not retry its failures', async () => {
    const { jobs } = await setup({ backoff: { baseMs: 10, maxMs: 20 } });
    jobs.register<{ retry: boolean }, never>('test.waited', {
      maxAttempts: 3,
      retriesFailures: (payload) => payload.retry,
      async run() {
        throw new KeelError('service_unavailable', 'down for a moment');
      },
    });
    await jobs.start();
    const waited = await jobs.enqueue({ projectId: 'p', kind: 'test.waited', payload: { retry: false } });
    const background = await jobs.enqueue({ projectId: 'p', kind: 'test.waited', payload: { retry: true } });
    expect(await jobs.wait(waited.id)).toMatchObject({ status: 'failed', attempts: 1, maxAttempts: 3 });
    expect(await jobs.wait(background.id)).toMatchObject({ status: 'failed', attempts: 3 });
  });

  it('backoff doubles per attempt, capped, with jitter between half and all of it', () => {
    expect(backoffDelay(1, { baseMs: 100 }, () => 1)).toBe(100);
    expect(backoffDelay(3, { baseMs: 100 }, () => 1)).toBe(400);
    expect(backoffDelay(3, { baseMs: 100 }, () => 0)).toBe(200);
    expect(backoffDelay(30, { baseMs: 100, maxMs: 1000 }, () => 1)).toBe(1000);
  });

  it('isolates per-item failures: the item is recorded and the rest go on', async () => {
    const { jobs } = await setup();
    jobs.register<{ items: string[] }, { ok: string[] }>('test.items', {
      async run(ctx) {
        const ok: string[] = [];
        for (const item of ctx.payload.items) {
          const outcome = await ctx.item(
            `item:${item}`,
            async () => {
              if (item.startsWith('bad')) throw new KeelError('unprocessable', `${item} is not valid`);
              return item.toUpperCase();
            },
            { label: item },
          );
          if (outcome.ok) ok.push(outcome.value);
        }
        return { ok };
      },
    });
    await jobs.start();
    const job = await jobs.enqueue({
      projectId: 'p',
      kind: 'test.items',
      payload: { items: ['a', 'bad1', 'b', 'bad2'] },
    });
    expect(await jobs.wait(job.id)).toMatchObject({ status: 'succeeded', result: { ok: ['A', 'B'] } });
    expect(await jobs.failures(job.id)).toEqual({
      count: 2,
      failures: [
        { key: 'item:bad1', label: 'bad1', code: 'unprocessable', message: 'bad1 is not valid' },
        { key: 'item:bad2', label: 'bad2', code: 'unprocessable', message: 'bad2 is not valid' },
      ],
    });
  });

  it('cancels a queued job at once and a running one through its signal', async () => {
    const { jobs } = await setup();
    let sawAbort = false;
    jobs.register('test.forever', {
      async run(ctx: JobContext) {
        await ctx.progress(1, null, 'waiting');
        await new Promise<void>((_, reject) =>
          ctx.signal.addEventListener('abort', () => {
            sawAbort = ctx.signal.reason === 'cancelled';
            reject(new Error('stopped'));
          }),
        );
      },
    });
    const queued = await jobs.enqueue({ projectId: 'p', kind: 'test.forever', payload: {} });
    expect(await jobs.cancel(queued.id)).toMatchObject({ status: 'cancelled', cancelRequested: true });
    await jobs.start();
    const running = await jobs.enqueue({ projectId: 'p', kind: 'test.forever', payload: {} });
    await until(async () => (await jobs.get(running.id)).progress.done === 1);
    await jobs.cancel(running.id);
    expect(await jobs.wait(running.id)).toMatchObject({
      status: 'cancelled',
      error: { code: 'client_closed' },
    });
    expect(sawAbort).toBe(true);
  });

  it('a cancel asked on another replica reaches the worker through its heartbeat', async () => {
    const { services } = await setup({}, 2);
    const [worker, other] = services as [JobService, JobService];
    worker.register('test.forever2', {
      run: (ctx) =>
        new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject(new Error('x')))),
    });
    await worker.start();
    const job = await worker.enqueue({ projectId: 'p', kind: 'test.forever2', payload: {} });
    await until(async () => (await other.get(job.id)).status === 'running');
    await other.cancel(job.id);
    expect(await other.wait(job.id)).toMatchObject({ status: 'cancelled' });
  });

  it('resumes after a lost worker: completed steps are not run again', async () => {
    await setup();
    const runs: string[] = [];
    const crashing = new JobService({ db, pollMs: 20, leaseMs: 150, owner: 'crashing' });
    const handler = (worker: string, crash: boolean) => ({
      async run(ctx: JobContext<{ steps: number }>) {
        const out: number[] = [];
        for (let i = 0; i < ctx.payload.steps; i++) {
          out.push(
            await ctx.step(`s${i}`, async () => {
              runs.push(`${worker}:s${i}`);
              if (crash && i === 2)
                // Hangs like a dead process (until the test stops it).
                await new Promise((_, reject) =>
                  ctx.signal.addEventListener('abort', () => reject(new Error('x'))),
                );
              return i * 10;
            }),
          );
        }
        return { out };
      },
    });
    crashing.register('test.steps', handler('a', true));
    await crashing.start();
    const job = await crashing.enqueue({ projectId: 'p', kind: 'test.steps', payload: { steps: 4 } });
    await until(() => runs.includes('a:s2'));
    // The process "dies": no more heartbeats, its lease runs out.
    await crashing.stop({ graceMs: 0 }).catch(() => undefined);
    await db.query(
      "UPDATE jobs SET status = 'running', lease_owner = 'crashing', lease_expires_at = now() - interval '1 second' WHERE id = $1",
      [job.id],
    );
    const survivor = new JobService({ db, pollMs: 20, leaseMs: 5_000, owner: 'survivor' });
    open.push({ services: [survivor] });
    survivor.register('test.steps', handler('b', false));
    await survivor.start();
    const done = await survivor.wait(job.id);
    expect(done).toMatchObject({ status: 'succeeded', result: { out: [0, 10, 20, 30] } });
    expect(runs).toEqual(['a:s0', 'a:s1', 'a:s2', 'b:s2', 'b:s3']);
  });

  it('releases jobs at shutdown without counting the attempt, and an exclusive start resumes orphans', async () => {
    const { jobs } = await setup();
    jobs.register('test.slow', {
      run: (ctx) =>
        new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject(new Error('x')))),
    });
    await jobs.start();
    const job = await jobs.enqueue({ projectId: 'p', kind: 'test.slow', payload: {} });
    await until(async () => (await jobs.get(job.id)).status === 'running');
    await jobs.stop();
    expect(await jobs.get(job.id)).toMatchObject({ status: 'queued', attempts: 0, leaseOwner: null });

    // A job a killed process left "running" under a lease that has not expired yet.
    await db.query(
      "UPDATE jobs SET status = 'running', attempts = 1, lease_owner = 'dead', lease_expires_at = now() + interval '1 hour' WHERE id = $1",
      [job.id],
    );
    const next = new JobService({ db, pollMs: 20, owner: 'next', exclusive: true });
    open.push({ services: [next] });
    next.register('test.slow', { run: async () => 'done' });
    await next.start();
    expect(await next.wait(job.id)).toMatchObject({ status: 'succeeded', attempts: 2, result: 'done' });
  });

  it('a worker that lost its lease writes nothing', async () => {
    const { jobs } = await setup({ leaseMs: 60_000 });
    let release: () => void = () => {};
    jobs.register('test.fenced', {
      async run(ctx) {
        await new Promise<void>((resolve) => {
          release = resolve;
        });
        await ctx.progress(5, 5, 'late', { tx: db });
        return 'late';
      },
    });
    await jobs.start();
    const job = await jobs.enqueue({ projectId: 'p', kind: 'test.fenced', payload: {} });
    await until(async () => (await jobs.get(job.id)).status === 'running');
    await db.query("UPDATE jobs SET lease_owner = 'someone-else' WHERE id = $1", [job.id]);
    release();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await jobs.get(job.id)).toMatchObject({
      status: 'running',
      leaseOwner: 'someone-else',
      progress: { done: 0 },
    });
  });
});
