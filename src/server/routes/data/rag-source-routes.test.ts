import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataRagSourceSchema, dataRagSyncSchema } from '../../../api/data.js';
import { jobJsonSchema } from '../../../api/jobs.js';
import type { KeelClient } from '../../../sdk/client.js';
import { sdkClient } from '../../../testing/sdk.js';
import { createTestKeel, type TestKeel } from '../../../testing/test-keel.js';

const tickets = (rows: string[]) => `id,title,body,owner_email,priority\n${rows.join('\n')}\n`;
const first = [
  '1,Printer jam,The office printer jams on every second page,ana@example.com,high',
  '2,VPN drops,The VPN disconnects after ten minutes,bo@example.com,low',
  '3,,,cy@example.com,low',
];

describe('/api/v1/data/rag-sources', () => {
  let keel: TestKeel;
  let admin: KeelClient;

  async function keyFor(role: string): Promise<string> {
    const response = await keel.call('/api/v1/keys', { json: { name: `${role}-${Math.random()}`, role } });
    return ((await response.json()) as { key: string }).key;
  }

  beforeAll(async () => {
    keel = await createTestKeel();
    admin = sdkClient(keel, keel.adminKey);
    await admin.data.upload({ name: 'tickets.csv', data: tickets(first) });
    await admin.rag.create({ name: 'support' });
    // The owner's e-mail is personal data: tagged, and redacted for every role but admin.
    await admin.data.setTags('tickets', 'owner_email', ['pii']);
    await admin.data.addMaskingPolicy({
      tag: 'pii',
      method: 'redact',
      roles: ['editor', 'viewer', 'validator'],
    });
  });
  afterAll(async () => {
    await keel.close();
  });

  it('stores a source and queues its first sync as a job (202), then re-syncs changes', async () => {
    const created = await keel.call('/api/v1/data/rag-sources', {
      json: {
        collection: 'support',
        table: 'tickets',
        text_columns: ['title', 'body', 'owner_email'],
        metadata_columns: ['priority'],
        id_column: 'id',
      },
    });
    expect(created.status).toBe(202);
    const body = (await created.json()) as { source: unknown; job: unknown };
    const source = dataRagSourceSchema.parse(body.source);
    const firstJob = jobJsonSchema.parse(body.job);
    expect(firstJob).toMatchObject({
      kind: 'data.rag_source.sync',
      summary: { source: source.id, trigger: 'create' },
    });
    expect(['queued', 'running']).toContain(firstJob.status);
    // The source is stored before it is synced; the job it waits for is named on it.
    expect(source).toMatchObject({ last_sync: null, last_synced_at: null, running_job: firstJob.id });
    // "Sync now" asked while the first sync is queued or running answers that job.
    const early = jobJsonSchema.parse(
      await (await keel.call(`/api/v1/data/rag-sources/${source.id}/sync`, { method: 'POST' })).json(),
    );
    if (early.status === 'queued' || early.status === 'running') expect(early.id).toBe(firstJob.id);
    const firstDone = await admin.data.waitForSync(firstJob.id);
    expect(firstDone).toMatchObject({ status: 'succeeded', progress: { done: 3, total: 3 } });
    // Row 3 has an e-mail only: the text is its (masked) owner, so it still makes a document.
    const firstSync = dataRagSyncSchema.parse((firstDone.result as { sync: unknown }).sync);
    expect(firstSync).toMatchObject({ rows: 3, queued: 3, removed: 0, truncated: false, masked: true });
    await admin.rag.waitForJob('support', firstSync.job_id!);
    if (early.id !== firstJob.id) await keel.services.jobs.wait(early.id);
    expect(await admin.data.ragSource(source.id)).toMatchObject({
      running_job: null,
      last_sync: { rows: 3 },
    });

    const documents = (await admin.rag.documents('support')).documents;
    expect(documents.map((document) => document.name).sort()).toEqual([
      'tickets/1',
      'tickets/2',
      'tickets/3',
    ]);
    const hits = (await admin.rag.search('support', { query: 'printer jams', mode: 'keyword' })).hits;
    expect(hits[0]!.document).toBe('tickets/1');
    expect(hits[0]!.text).toContain('title: Printer jam');
    // Masks apply even though an admin synced: no e-mail reaches the collection.
    const everything = await admin.rag.search('support', {
      query: 'example.com ana',
      mode: 'keyword',
      top_k: 10,
    });
    expect(JSON.stringify(everything)).not.toContain('ana@example.com');
    expect(documents.find((document) => document.name === 'tickets/1')?.metadata).toMatchObject({
      priority: 'high',
      table: 'tickets',
    });

    // The table changes: row 2 edited, row 3 gone, row 4 new. Re-sync on demand.
    await admin.data.remove('tickets');
    await admin.data.upload({
      name: 'tickets.csv',
      data: tickets([
        first[0]!,
        '2,VPN drops,The VPN disconnects after five minutes,bo@example.com,high',
        '4,Laptop,Battery swells,di@example.com,high',
      ]),
    });
    // "Sync now" is a job: a double click (two requests at once, then a third) queues one.
    const syncPath = `/api/v1/data/rag-sources/${source.id}/sync`;
    const clicks = await Promise.all([
      keel.call(syncPath, { method: 'POST' }),
      keel.call(syncPath, { method: 'POST' }),
    ]);
    expect(clicks.map((click) => click.status)).toEqual([202, 202]);
    const [job, again] = (await Promise.all(clicks.map((click) => click.json()))).map((body) =>
      jobJsonSchema.parse(body),
    );
    expect(job).toMatchObject({
      kind: 'data.rag_source.sync',
      summary: { source: source.id, trigger: 'manual' },
    });
    expect(again!.id).toBe(job!.id);
    const third = jobJsonSchema.parse(await (await keel.call(syncPath, { method: 'POST' })).json());
    if (third.status === 'queued' || third.status === 'running') expect(third.id).toBe(job!.id);
    // Followed on the job service's event stream until it ends, its stages seen as progress.
    const seen: string[] = [];
    const done = await admin.data.waitForSync(job!.id, (state) => seen.push(state.status));
    expect(done.status).toBe('succeeded');
    expect(seen.at(-1)).toBe('succeeded');
    expect(done.progress).toMatchObject({ done: 3, total: 3 });
    const sync = dataRagSyncSchema.parse((done.result as { sync: unknown }).sync);
    expect(sync).toMatchObject({ rows: 3, queued: 2, unchanged: 1, removed: 1 });
    await admin.rag.waitForJob('support', sync.job_id!);
    // The source's last sync changed, so the next click queues a new job.
    const next = jobJsonSchema.parse(await (await keel.call(syncPath, { method: 'POST' })).json());
    expect(next.id).not.toBe(job!.id);
    expect((await keel.services.jobs.wait(next.id)).status).toBe('succeeded');
    const names = (await admin.rag.documents('support')).documents.map((document) => document.name).sort();
    expect(names).toEqual(['tickets/1', 'tickets/2', 'tickets/4']);
    const listed = (await (await keel.call('/api/v1/data/rag-sources')).json()) as { sources: unknown[] };
    expect(dataRagSourceSchema.parse(listed.sources[0])).toMatchObject({
      table: 'tickets',
      // The last sync (the one after the click above) found nothing to change.
      last_sync: { rows: 3, removed: 0, unchanged: 3 },
    });
    await keel.services.audit.flush();
    const audit = await keel.services.db.query<{ action: string }>(
      `SELECT action FROM audit_log WHERE action LIKE 'data.rag_source.%' ORDER BY seq`,
    );
    // The first sync, the early click (when it was not the first sync's job), the click, the next.
    const syncs = early.id === firstJob.id ? 3 : 4;
    expect(audit.rows.map((row) => row.action)).toEqual([
      'data.rag_source.create',
      ...Array(syncs).fill('data.rag_source.sync'),
    ]);
  });

  it('refuses unknown columns, collections and sources with coded errors, storing nothing; viewers cannot sync', async () => {
    const stored = async () => {
      const { rows } = await keel.services.db.query<{ sources: number; jobs: number }>(
        `SELECT (SELECT count(*)::int FROM data_rag_sources) AS sources,
                (SELECT count(*)::int FROM jobs WHERE kind = 'data.rag_source.sync') AS jobs`,
      );
      return rows[0];
    };
    const before = await stored();
    const bad = await keel.call('/api/v1/data/rag-sources', {
      json: { collection: 'support', table: 'tickets', text_columns: ['nope'] },
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { issues: Array<{ code: string }> } }).error.issues[0]?.code).toBe(
      'unknown_column',
    );
    const noTable = await keel.call('/api/v1/data/rag-sources', {
      json: { collection: 'support', table: 'no_such_table', text_columns: ['title'] },
    });
    expect(noTable.status).toBeGreaterThanOrEqual(400);
    expect(noTable.status).toBeLessThan(500);
    expect(
      ((await noTable.json()) as { error: { issues?: unknown[] } }).error.issues?.length,
    ).toBeGreaterThan(0);
    const duplicate = await keel.call('/api/v1/data/rag-sources', {
      json: { collection: 'support', table: 'tickets', text_columns: ['title'] },
    });
    expect(duplicate.status).toBe(409);
    const noCollection = await keel.call('/api/v1/data/rag-sources', {
      json: { collection: 'missing', table: 'tickets', text_columns: ['title'] },
    });
    expect(noCollection.status).toBe(404);
    const empty = await keel.call('/api/v1/data/rag-sources', {
      json: { collection: 'support', table: 'tickets', text_columns: [] },
    });
    expect(empty.status).toBe(400);
    const unknown = await keel.call('/api/v1/data/rag-sources/drag_nope/sync', { method: 'POST' });
    expect(unknown.status).toBe(404);
    const viewer = await keyFor('viewer');
    const denied = await keel.call('/api/v1/data/rag-sources', {
      key: viewer,
      json: { collection: 'support', table: 'tickets', name: 'again', text_columns: ['title'] },
    });
    expect(denied.status).toBe(403);
    // Every refusal was answered before anything was stored or queued.
    expect(await stored()).toEqual(before);
    const [source] = (await (await keel.call('/api/v1/data/rag-sources', { key: viewer })).json())
      .sources as Array<{ id: string }>;
    expect(
      (await keel.call(`/api/v1/data/rag-sources/${source!.id}/sync`, { method: 'POST', key: viewer }))
        .status,
    ).toBe(403);
    expect(
      (await keel.call(`/api/v1/data/rag-sources/${source!.id}`, { method: 'DELETE', key: viewer })).status,
    ).toBe(403);
  });

  it('shows one source, records a failed sync job on it, and removes it', async () => {
    await admin.rag.create({ name: 'gone' });
    const { source, job: first } = await admin.data.addRagSource({
      collection: 'gone',
      query: "SELECT id, title FROM tickets WHERE priority = 'high'",
      name: 'urgent',
      template: '{{title}}',
    });
    expect((await admin.data.waitForSync(first.id)).status).toBe('succeeded');
    expect(await admin.data.ragSource(source.id)).toMatchObject({ id: source.id, table: 'urgent' });
    // The table goes away: the job fails with the query's error, kept on the source.
    await admin.data.remove('tickets');
    const job = await admin.data.syncRagSource(source.id);
    const done = await admin.data.waitForSync(job.id);
    expect(done.status).toBe('failed');
    expect(done.attempts).toBe(1);
    const failed = await admin.data.ragSource(source.id);
    expect(failed.last_error?.code).toBe(done.error?.code);
    expect(failed.last_sync).not.toBeNull();

    const removed = await keel.call(`/api/v1/data/rag-sources/${source.id}`, { method: 'DELETE' });
    expect(removed.status).toBe(204);
    expect((await keel.call(`/api/v1/data/rag-sources/${source.id}`)).status).toBe(404);
    expect((await keel.call(`/api/v1/data/rag-sources/${source.id}`, { method: 'DELETE' })).status).toBe(404);
    expect((await admin.rag.documents('gone')).documents.length).toBeGreaterThan(0);
  });
});
