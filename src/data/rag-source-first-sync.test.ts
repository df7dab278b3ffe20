/**
 * A new RAG source's first sync is a job that survives its worker: the worker dies after adding
 * some of the rows' documents (the test leaves the job running under a lease no one holds, with
 * two of three documents written), the job service claims it again on start, and the second
 * attempt brings the collection in line — each row one document, none twice. A "sync now" survives
 * its worker the same way, while a failure of one is shown at once rather than retried.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { dataRagSourceSchema } from '../api/data.js';
import { jobJsonSchema } from '../api/jobs.js';
import { KeelError } from '../core/errors.js';
import type { KeelClient } from '../sdk/client.js';
import { leaveToDeadWorker } from '../testing/outcomes.js';
import { sdkClient } from '../testing/sdk.js';
import { createTestKeel, type TestKeel } from '../testing/test-keel.js';
import { rowDocuments } from './row-documents.js';

const tickets = `id,title,body
1,Printer jam,The office printer jams on every second page
2,VPN drops,The VPN disconnects after ten minutes
3,Laptop,Battery swells
`;

describe('the first sync of a RAG source', () => {
  let keel: TestKeel;
  let admin: KeelClient;

  beforeAll(async () => {
    keel = await createTestKeel();
    admin = sdkClient(keel, keel.adminKey);
    await admin.data.upload({ name: 'tickets.csv', data: tickets });
    await admin.rag.create({ name: 'support' });
  });
  afterAll(async () => {
    await keel.close();
  });

  it('resumes after its worker died mid-sync, and writes each row once', async () => {
    // No worker runs: the created source's first sync stays queued.
    await keel.services.jobs.stop();
    const created = await keel.call('/api/v1/data/rag-sources', {
      json: { collection: 'support', table: 'tickets', text_columns: ['title', 'body'], id_column: 'id' },
    });
    expect(created.status).toBe(202);
    const body = (await created.json()) as { source: unknown; job: unknown };
    const source = dataRagSourceSchema.parse(body.source);
    const job = jobJsonSchema.parse(body.job);
    expect(job).toMatchObject({ status: 'queued', max_attempts: 3, summary: { trigger: 'create' } });

    // A worker claimed it, wrote two of the three documents, and died holding an expired lease.
    await leaveToDeadWorker(keel.services.db, job.id);
    const projectId = keel.services.installation.defaultProjectId;
    const caller = { projectId, keyId: null, actor: null };
    const read = await rowDocuments(keel.services.data, projectId, {
      table: 'tickets',
      query: null,
      template: null,
      textColumns: ['title', 'body'],
      metadataColumns: [],
      idColumn: 'id',
      maxRows: 100,
    });
    await keel.services.rag.addDocuments(caller, 'support', read.documents.slice(0, 2));

    await keel.services.jobs.start();
    const done = await admin.data.waitForSync(job.id);
    expect(done).toMatchObject({ status: 'succeeded', attempts: 2 });
    const sync = (
      done.result as { sync: { rows: number; queued: number; unchanged: number; removed: number } }
    ).sync;
    expect(sync.rows).toBe(3);
    expect(sync.queued + sync.unchanged).toBe(3);
    expect(sync.removed).toBe(0);
    const names = (await admin.rag.documents('support')).documents.map((document) => document.name);
    expect(names.sort()).toEqual(['tickets/1', 'tickets/2', 'tickets/3']);
    expect(await admin.data.ragSource(source.id)).toMatchObject({
      running_job: null,
      last_error: null,
      last_sync: { rows: 3 },
    });
  });

  it('resumes a "sync now" whose worker died, and does not retry one that failed', async () => {
    const [source] = await admin.data.ragSources();
    await keel.services.jobs.stop();
    const job = await admin.data.syncRagSource(source!.id);
    expect(job).toMatchObject({ status: 'queued', max_attempts: 3, summary: { trigger: 'manual' } });
    await leaveToDeadWorker(keel.services.db, job.id);
    await keel.services.jobs.start();
    expect(await admin.data.waitForSync(job.id)).toMatchObject({ status: 'succeeded', attempts: 2 });

    // A failure another attempt might fix is still shown at once: the person is waiting for it.
    const sync = vi
      .spyOn(keel.services.dataRagSources, 'sync')
      .mockRejectedValueOnce(new KeelError('service_unavailable', 'The collection store is restarting.'));
    const failing = await admin.data.syncRagSource(source!.id);
    const failed = await admin.data.waitForSync(failing.id);
    expect(failed).toMatchObject({ status: 'failed', attempts: 1, error: { code: 'service_unavailable' } });
    sync.mockRestore();
    const again = await admin.data.syncRagSource(source!.id);
    expect(again.id).not.toBe(failing.id);
    expect(await admin.data.waitForSync(again.id)).toMatchObject({ status: 'succeeded' });
  });
});
