/**
 * `keel data sources list|add|show|sync|schedule|remove` against a real server: a table's rows
 * added as a collection's source on a schedule (its first sync a job followed to its end), listed
 * and shown (by table name), synced now as a job followed to its end, rescheduled, a failed sync
 * reported with its code, and removed; a query source added with --json prints the source and its
 * finished job.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KeelClient } from '../../sdk/client.js';
import { type ListeningServer, listen } from '../../server/listen.js';
import { runKeelCli } from '../../testing/cli-io.js';
import { sdkClient } from '../../testing/sdk.js';
import { createTestKeel, type TestKeel } from '../../testing/test-keel.js';

const tickets = `id,title,body,priority
1,Printer jam,The office printer jams on every second page,high
2,VPN drops,The VPN disconnects after ten minutes,low
3,Laptop,Battery swells,high
`;

let keel: TestKeel;
let server: ListeningServer;
let admin: KeelClient;

beforeAll(async () => {
  keel = await createTestKeel();
  server = await listen(keel.app);
  admin = sdkClient(keel, keel.adminKey);
  await admin.data.upload({ name: 'tickets.csv', data: tickets });
  await admin.rag.create({ name: 'support' });
});
afterAll(async () => {
  await server?.close();
  await keel?.close();
});

const keelCli = (...args: string[]) => runKeelCli({ url: server.url, key: keel.adminKey }, args);

describe('keel data sources', () => {
  it('adds, lists, shows, syncs as a job, reschedules and removes a source', async () => {
    const added = await keelCli(
      'data',
      'sources',
      'add',
      '--collection',
      'support',
      '--table',
      'tickets',
      '--text-columns',
      'title,body',
      '--metadata-columns',
      'priority',
      '--id-column',
      'id',
      '--every',
      '3600',
    );
    expect(added.code).toBe(0);
    expect(added.out).toMatch(/^Added tickets to support \(drag_\w+\)\.\n$/);
    // The first sync is a job, followed to its end like `sync`.
    expect(added.err).toContain('Synced tickets: 3 rows, 3 to index, 0 unchanged, 0 removed.');

    const listed = await keelCli('data', 'sources', 'list');
    expect(listed.out).toContain('ROWS_OF');
    expect(listed.out).toContain('every 3600 s');
    const [source] = JSON.parse((await keelCli('--json', 'data', 'sources', 'list')).out) as Array<{
      id: string;
      next_sync_at: string;
    }>;
    expect(source!.id).toMatch(/^drag_/);

    const shown = await keelCli('data', 'sources', 'show', 'tickets');
    expect(shown.code).toBe(0);
    expect(shown.out).toContain(`id:         ${source!.id}`);
    expect(shown.out).toContain('row text:   title, body');
    expect(shown.out).toMatch(/last sync: {2}\S+: 3 rows, 3 to index/);

    // Synced now: a job, followed to its end; nothing changed, so every row is unchanged.
    const synced = await keelCli('data', 'sources', 'sync', source!.id);
    expect(synced.code).toBe(0);
    expect(synced.err).toContain('Synced tickets: 3 rows, 0 to index, 3 unchanged, 0 removed.');
    const asJson = await keelCli('--json', 'data', 'sources', 'sync', 'tickets');
    const job = JSON.parse(asJson.out) as { kind: string; status: string; summary: Record<string, unknown> };
    expect(job).toMatchObject({
      kind: 'data.rag_source.sync',
      status: 'succeeded',
      summary: { source: source!.id, trigger: 'manual' },
    });

    const cron = await keelCli('data', 'sources', 'schedule', 'tickets', '--cron', '0 3 * * *');
    expect(cron.code).toBe(0);
    expect(cron.out).toContain('tickets: cron 0 3 * * * (UTC), next sync ');
    const both = await keelCli('data', 'sources', 'schedule', 'tickets', '--every', '60', '--none');
    expect(both.code).toBe(2);
    expect(both.err).toContain('one schedule option at most');
    const badCron = await keelCli('data', 'sources', 'schedule', 'tickets', '--cron', '99 * * * *');
    expect(badCron.code).toBe(2);
    expect(badCron.err).toContain('0–59');
    expect((await keelCli('data', 'sources', 'schedule', 'tickets', '--none')).out).toContain(
      'tickets: on demand.',
    );
    expect((await admin.data.ragSource(source!.id)).schedule).toBeNull();

    // The table goes away: the sync job fails, its code is the exit status's reason.
    await admin.data.remove('tickets');
    const failed = await keelCli('data', 'sources', 'sync', 'tickets');
    expect(failed.code).not.toBe(0);
    expect(failed.err).toMatch(/error \[\w+\]: The sync of tickets failed/);
    expect((await keelCli('data', 'sources', 'show', 'tickets')).out).toMatch(/last error: \S+ \[\w+\]/);

    const removed = await keelCli('data', 'sources', 'remove', 'tickets');
    expect(removed.out).toContain(`Removed tickets (${source!.id})`);
    expect((await keelCli('data', 'sources', 'list')).out).toBe('(none)\n');
    const unknown = await keelCli('data', 'sources', 'show', 'tickets');
    expect(unknown.code).not.toBe(0);
    expect(unknown.err).toContain('error [not_found]: No RAG source tickets');
    await admin.data.upload({ name: 'tickets.csv', data: tickets });
    const asJsonAdded = await keelCli(
      '--json',
      'data',
      'sources',
      'add',
      '--collection',
      'support',
      '--query',
      "SELECT id, title FROM tickets WHERE priority = 'high'",
      '--name',
      'urgent',
      '--template',
      '{{title}}',
    );
    expect(asJsonAdded.code).toBe(0);
    const addedJson = JSON.parse(asJsonAdded.out) as {
      source: { id: string; table: string };
      job: { kind: string; status: string; summary: Record<string, unknown>; result: unknown };
    };
    expect(addedJson.source.table).toBe('urgent');
    expect(addedJson.job).toMatchObject({
      kind: 'data.rag_source.sync',
      status: 'succeeded',
      summary: { source: addedJson.source.id, trigger: 'create' },
      result: { sync: { rows: 2 } },
    });
    const noCollection = await keelCli('data', 'sources', 'add', '--table', 'tickets');
    expect(noCollection.code).toBe(2);
    expect(noCollection.err).toContain('--collection');
  });
});
