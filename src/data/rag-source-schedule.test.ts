/**
 * Scheduled syncs of data RAG sources on the job service: a query source with a row template on
 * a schedule, its job made due (the test moves `run_after` instead of waiting the interval), the
 * schedule moving on, a failed sync kept on the source and retried, a changed schedule superseding
 * the job already enqueued; on PostgreSQL, two replicas run a due sync once and a restarted one
 * picks the schedule up again, and "sync now" asked on two replicas at once makes one job.
 */
import { mkdtemp, rename, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataRagSourceSchema } from '../api/data.js';
import type { DatabaseV1 } from '../spec/database.js';
import { migrate } from '../storage/core/migrator.js';
import { createTestPostgresDatabase, testPostgresUrl } from '../testing/database.js';
import { sdkClient } from '../testing/sdk.js';
import { createTestKeel, type TestKeel } from '../testing/test-keel.js';
import { RAG_SOURCE_SYNC_KIND } from './rag-source-schedule.js';

const tickets = `id,title,body,priority
1,Printer jam,The office printer jams on every second page,high
2,VPN drops,The VPN disconnects after ten minutes,low
3,Laptop,Battery swells,high
`;

interface SyncJob {
  id: string;
  status: string;
  attempts: number;
  run_after: Date;
  idempotency_key: string;
}

/** The source's scheduled sync jobs (not the requested ones: its first sync, "sync now"). */
async function syncJobs(db: DatabaseV1, sourceId: string): Promise<SyncJob[]> {
  const { rows } = await db.query<SyncJob>(
    `SELECT id, status, attempts, run_after, idempotency_key FROM jobs
      WHERE kind = $1 AND payload->>'sourceId' = $2 AND payload->>'due' IS NOT NULL
      ORDER BY run_after, created_at`,
    [RAG_SOURCE_SYNC_KIND, sourceId],
  );
  return rows;
}

/** Makes the source's queued sync job due now (instead of waiting for its time). */
async function makeDue(db: DatabaseV1, sourceId: string): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    `UPDATE jobs SET run_after = now() WHERE kind = $1 AND payload->>'sourceId' = $2 AND status = 'queued'
     RETURNING id`,
    [RAG_SOURCE_SYNC_KIND, sourceId],
  );
  expect(rows).toHaveLength(1);
  return rows[0]!.id;
}

async function scheduledSyncAudits(keel: TestKeel, sourceId: string): Promise<number> {
  await keel.services.audit.flush();
  const { rows } = await keel.services.db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM audit_log WHERE action = 'data.rag_source.sync' AND target_id = $1
       AND detail::jsonb->>'trigger' = 'schedule'`,
    [sourceId],
  );
  return rows[0]!.n;
}

async function source(keel: TestKeel, id: string) {
  const listed = (await (await keel.call('/api/v1/data/rag-sources')).json()) as { sources: unknown[] };
  const found = listed.sources.map((row) => dataRagSourceSchema.parse(row)).find((row) => row.id === id);
  expect(found).toBeDefined();
  return found!;
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > end) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function setUp(keel: TestKeel): Promise<string> {
  const admin = sdkClient(keel, keel.adminKey);
  await admin.data.upload({ name: 'tickets.csv', data: tickets });
  await admin.rag.create({ name: 'support' });
  const created = await keel.call('/api/v1/data/rag-sources', {
    json: {
      collection: 'support',
      name: 'urgent',
      query: "SELECT id, title, body FROM tickets WHERE priority = 'high'",
      template: 'Ticket {{ID}}: {{title}}\n{{ body }}',
      id_column: 'id',
      schedule: { every_seconds: 60 },
    },
  });
  expect(created.status).toBe(202);
  const body = (await created.json()) as { source: unknown; job: { id: string } };
  // The first sync is a job of its own, not the scheduled one; it is waited for here.
  const first = await keel.services.jobs.wait(body.job.id);
  expect(first).toMatchObject({ status: 'succeeded', result: { sync: { rows: 2 } } });
  return dataRagSourceSchema.parse(body.source).id;
}

describe('scheduled syncs of data RAG sources (PGlite)', () => {
  let keel: TestKeel;
  let id: string;

  beforeAll(async () => {
    keel = await createTestKeel();
    id = await setUp(keel);
  });
  afterAll(async () => {
    await keel.close();
  });

  it('renders the query rows through the template and enqueues the first scheduled sync', async () => {
    const created = await source(keel, id);
    expect(created).toMatchObject({
      table: 'urgent',
      template: 'Ticket {{id}}: {{title}}\n{{body}}',
      schedule: { every_seconds: 60 },
      last_error: null,
    });
    const due = Date.parse(created.next_sync_at!);
    expect(due - Date.now()).toBeGreaterThan(30_000);
    const jobs = await syncJobs(keel.services.db, id);
    expect(jobs.map((job) => [job.status, job.run_after.getTime()])).toEqual([['queued', due]]);
    await until(
      async () =>
        (await sdkClient(keel, keel.adminKey).rag.search('support', { query: 'battery', mode: 'keyword' }))
          .hits,
      (found) => found.length > 0,
    );
    const [hit] = (
      await sdkClient(keel, keel.adminKey).rag.search('support', { query: 'battery', mode: 'keyword' })
    ).hits;
    expect(hit).toMatchObject({ document: 'urgent/3' });
    expect(hit!.text).toContain('Ticket 3: Laptop\nBattery swells');
  });

  it('runs a due sync once, then moves the schedule on to the next job', async () => {
    const before = await source(keel, id);
    const jobId = await makeDue(keel.services.db, id);
    const finished = await keel.services.jobs.wait(jobId);
    expect(finished.status).toBe('succeeded');
    expect(finished.result).toMatchObject({ skipped: false, sync: { rows: 2, unchanged: 2 } });
    const after = await source(keel, id);
    expect(Date.parse(after.last_synced_at!)).toBeGreaterThan(Date.parse(before.last_synced_at!));
    expect(Date.parse(after.next_sync_at!)).toBeGreaterThan(Date.parse(before.next_sync_at!));
    const jobs = await syncJobs(keel.services.db, id);
    expect(jobs.map((job) => job.status)).toEqual(['succeeded', 'queued']);
    expect(jobs[1]!.run_after.toISOString()).toBe(after.next_sync_at);
    expect(await scheduledSyncAudits(keel, id)).toBe(1);
  });

  it('keeps a failed sync on the source and retries it; a later attempt clears the error', async () => {
    const file = (await keel.services.data.source(keel.services.installation.defaultProjectId, 'tickets'))
      .path;
    await rename(file, `${file}.away`);
    const jobId = await makeDue(keel.services.db, id);
    const failed = await until(
      () => source(keel, id),
      (row) => row.last_error !== null,
    );
    expect(failed.last_error?.code).toBeTruthy();
    expect(failed.last_error?.message).toContain('<file>');
    expect(failed.last_error?.message).not.toContain(keel.dataDir);
    await rename(`${file}.away`, file);
    const finished = await keel.services.jobs.wait(jobId);
    expect(finished.status).toBe('succeeded');
    expect(finished.attempts).toBe(2);
    const after = await source(keel, id);
    expect(after.last_error).toBeNull();
    // The retry did not schedule twice: one queued job, for the source's next sync.
    const queued = (await syncJobs(keel.services.db, id)).filter((job) => job.status === 'queued');
    expect(queued.map((job) => job.run_after.toISOString())).toEqual([after.next_sync_at]);
    await keel.services.audit.flush();
    const audit = await keel.services.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM audit_log WHERE action = 'data.rag_source.sync_failed' AND target_id = $1",
      [id],
    );
    expect(audit.rows[0]!.n).toBe(1);
  });

  it('a changed schedule supersedes the job already enqueued; null removes it', async () => {
    const cron = await keel.call(`/api/v1/data/rag-sources/${id}/schedule`, {
      method: 'PUT',
      json: { schedule: { cron: '0 3 * * *' } },
    });
    expect(cron.status).toBe(200);
    const moved = dataRagSourceSchema.parse(await cron.json());
    expect(new Date(moved.next_sync_at!).getUTCHours()).toBe(3);
    const queued = (await syncJobs(keel.services.db, id)).filter((job) => job.status === 'queued');
    expect(queued).toHaveLength(2);
    // The old job comes due: the source's next sync moved, so it does nothing.
    const old = queued.find((job) => job.run_after.toISOString() !== moved.next_sync_at)!;
    await keel.services.db.query('UPDATE jobs SET run_after = now() WHERE id = $1', [old.id]);
    expect((await keel.services.jobs.wait(old.id)).result).toEqual({ skipped: true, sync: null });
    const removed = await keel.call(`/api/v1/data/rag-sources/${id}/schedule`, {
      method: 'PUT',
      json: { schedule: null },
    });
    expect(dataRagSourceSchema.parse(await removed.json())).toMatchObject({
      schedule: null,
      next_sync_at: null,
    });
    const last = await makeDue(keel.services.db, id);
    expect((await keel.services.jobs.wait(last)).result).toEqual({ skipped: true, sync: null });
    expect(await scheduledSyncAudits(keel, id)).toBe(2);
  });

  it('refuses bad schedules, sources and templates with coded errors; viewers cannot schedule', async () => {
    const codeOf = async (response: Response) => {
      const body = (await response.json()) as { error: { issues?: Array<{ code: string }> } };
      return body.error.issues?.[0]?.code ?? JSON.stringify(body);
    };
    const cron = await keel.call(`/api/v1/data/rag-sources/${id}/schedule`, {
      method: 'PUT',
      json: { schedule: { cron: '99 * * * *' } },
    });
    expect(cron.status).toBe(400);
    expect(await codeOf(cron)).toBe('invalid_schedule');
    const fast = await keel.call(`/api/v1/data/rag-sources/${id}/schedule`, {
      method: 'PUT',
      json: { schedule: { every_seconds: 5 } },
    });
    expect(fast.status).toBe(400);
    const both = await keel.call('/api/v1/data/rag-sources', {
      json: {
        collection: 'support',
        table: 'tickets',
        query: 'SELECT 1',
        name: 'x',
        text_columns: ['title'],
      },
    });
    expect(await codeOf(both)).toBe('table_or_query');
    const write = await keel.call('/api/v1/data/rag-sources', {
      json: { collection: 'support', name: 'gone', query: 'DELETE FROM tickets', template: '{{id}}' },
    });
    expect(write.status).toBe(400);
    const unknown = await keel.call('/api/v1/data/rag-sources', {
      json: { collection: 'support', table: 'tickets', template: 'About {{nope}}' },
    });
    expect(await codeOf(unknown)).toBe('unknown_column');
    const bare = await keel.call('/api/v1/data/rag-sources', {
      json: { collection: 'support', table: 'tickets', template: 'no placeholders' },
    });
    expect(await codeOf(bare)).toBe('template_without_columns');
    const viewer = await keel.call('/api/v1/keys', { json: { name: 'viewer', role: 'viewer' } });
    const key = ((await viewer.json()) as { key: string }).key;
    const denied = await keel.call(`/api/v1/data/rag-sources/${id}/schedule`, {
      method: 'PUT',
      key,
      json: { schedule: null },
    });
    expect(denied.status).toBe(403);
  });
});

describe.skipIf(!testPostgresUrl)('scheduled syncs of data RAG sources (PostgreSQL replicas)', () => {
  let db: DatabaseV1;
  let drop: () => Promise<void>;
  let dataDir: string;
  const open: TestKeel[] = [];

  beforeAll(async () => {
    const created = await createTestPostgresDatabase();
    db = created.db;
    drop = created.drop;
    await migrate(db);
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'keel-replicas-'));
  });
  afterAll(async () => {
    for (const keel of open) await keel.close();
    await db?.close();
    await drop?.();
    await rm(dataDir, { recursive: true, force: true });
  });

  const replica = async () => {
    const keel = await createTestKeel({ db, config: { dataDir } });
    open.push(keel);
    return keel;
  };

  it('two replicas run a due sync once; a restarted replica picks the schedule up', async () => {
    const first = await replica();
    const second = await replica();
    const id = await setUp(first);
    const jobId = await makeDue(db, id);
    expect((await first.services.jobs.wait(jobId)).status).toBe('succeeded');
    expect(await scheduledSyncAudits(first, id)).toBe(1);
    await second.services.audit.flush();
    expect(await scheduledSyncAudits(first, id)).toBe(1);
    const jobs = await syncJobs(db, id);
    expect(jobs.map((job) => job.status)).toEqual(['succeeded', 'queued']);
    // Both replicas stop; a new one starts, re-enqueues the schedule (no duplicate) and runs it.
    for (const keel of open.splice(0)) await keel.close();
    const third = await replica();
    expect((await syncJobs(db, id)).filter((job) => job.status === 'queued')).toHaveLength(1);
    const next = await makeDue(db, id);
    expect((await third.services.jobs.wait(next)).status).toBe('succeeded');
    expect(await scheduledSyncAudits(third, id)).toBe(2);

    // "Sync now" asked on two replicas at once, three times each: one job, run once.
    const syncAudits = async (trigger: string) => {
      const { rows } = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM audit_log WHERE action = 'data.rag_source.sync' AND target_id = $1
           AND detail::jsonb->>'trigger' = $2`,
        [id, trigger],
      );
      return rows[0]!.n;
    };
    // The source's first sync (when it was added) ran once, on one of the replicas.
    expect(await syncAudits('create')).toBe(1);
    expect(await syncAudits('manual')).toBe(0);
    const fourth = await replica();
    const syncPath = `/api/v1/data/rag-sources/${id}/sync`;
    const answers = await Promise.all(
      [third, fourth, third, fourth, third, fourth].map((keel) => keel.call(syncPath, { method: 'POST' })),
    );
    expect(answers.map((answer) => answer.status)).toEqual(Array(6).fill(202));
    const ids = new Set(
      await Promise.all(answers.map(async (answer) => ((await answer.json()) as { id: string }).id)),
    );
    expect(ids.size).toBe(1);
    const [manual] = [...ids];
    expect((await fourth.services.jobs.wait(manual!)).status).toBe('succeeded');
    await third.services.audit.flush();
    await fourth.services.audit.flush();
    expect(await syncAudits('manual')).toBe(1);
  });
});
