import { stat } from 'node:fs/promises';
import path from 'node:path';
import { WatsonXAI } from '@ibm-cloud/watsonx-ai';
import { BearerTokenAuthenticator } from 'ibm-cloud-sdk-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encryptedPdf, generatedPdf, reportTable } from '../../../extraction/testing/generated-pdf.js';
import { createTestKeel, type TestKeel } from '../../../testing/test-keel.js';
import { type ListeningServer, listen } from '../../listen.js';

let keel: TestKeel;
let server: ListeningServer;
let watsonx: WatsonXAI;
let projectId: string;

const ref = (fileName: string) => ({
  type: 'connection_asset',
  connection: { id: 'project-files' },
  location: { file_name: fileName },
});

async function upload(name: string, data: Uint8Array): Promise<Response> {
  return keel.call(`/api/v1/files/${encodeURIComponent(name)}?project_id=${projectId}`, {
    method: 'PUT',
    body: Buffer.from(data),
    headers: { 'content-type': 'application/octet-stream' },
  });
}

async function finished(id: string) {
  for (let i = 0; i < 200; i++) {
    const { result } = await watsonx.getTextExtraction({ id, projectId });
    const status = (result.entity?.results as { status: string } | undefined)?.status;
    if (status === 'completed' || status === 'failed') return result;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`extraction ${id} did not finish`);
}

beforeAll(async () => {
  keel = await createTestKeel();
  server = await listen(keel.app);
  projectId = keel.services.installation.defaultProjectId;
  watsonx = WatsonXAI.newInstance({
    version: '2024-05-31',
    serviceUrl: server.url,
    authenticator: new BearerTokenAuthenticator({ bearerToken: keel.adminKey }),
  });
});
afterAll(async () => {
  await server?.close();
  await keel?.close();
});

describe('watsonx text extraction through the official SDK', () => {
  it('stores a file, extracts it to Markdown with tables and pages, lists, reads and deletes it', async () => {
    const put = await upload('reports/q3.pdf', await generatedPdf({ pages: 2, table: reportTable }));
    expect(put.status).toBe(201);
    expect(await put.json()).toMatchObject({ name: 'reports/q3.pdf' });
    const folder = path.join(keel.dataDir, 'files', projectId);
    expect((await stat(folder)).mode & 0o777).toBe(0o700);
    expect((await stat(path.join(folder, 'reports', 'q3.pdf'))).mode & 0o777).toBe(0o600);

    const created = await watsonx.createTextExtraction({
      projectId,
      documentReference: ref('reports/q3.pdf'),
      resultsReference: ref('results/'),
    });
    expect(created.status).toBe(201);
    const id = created.result.metadata!.id;
    const done = await finished(id);
    expect(done.entity!.results).toMatchObject({ status: 'completed', number_pages_processed: 2 });

    const markdown = await (
      await keel.call(`/api/v1/files/results%2Fq3.pdf.md?project_id=${projectId}`)
    ).text();
    expect(markdown).toContain('<!-- page 2 -->');
    expect(markdown).toContain('| Region | Q1 | Q2 | Q3 |');

    const listed = await watsonx.listTextExtractions({ projectId });
    expect(listed.result.resources?.map((resource) => resource.metadata!.id)).toContain(id);

    await watsonx.deleteTextExtraction({ id, projectId });
    await expect(watsonx.getTextExtraction({ id, projectId })).rejects.toMatchObject({ status: 404 });
  });

  it('writes JSON with cells and page numbers when the results file is .json', async () => {
    await upload(
      'menu.html',
      Buffer.from('<h1>Menu</h1><table><tr><th>Dish</th></tr><tr><td>Kimchi</td></tr></table>'),
    );
    const created = await watsonx.createTextExtraction({
      projectId,
      documentReference: ref('menu.html'),
      resultsReference: ref('menu.json'),
    });
    const done = await finished(created.result.metadata!.id);
    expect(done.entity!.results).toMatchObject({ status: 'completed' });
    const result = (await (await keel.call(`/api/v1/files/menu.json?project_id=${projectId}`)).json()) as {
      tables: { rows: string[][] }[];
    };
    expect(result.tables[0]!.rows).toEqual([['Dish'], ['Kimchi']]);
  });

  it('feeds a RAG collection: the Markdown is ingested with its tables and page numbers', async () => {
    const collection = await keel.call('/api/v1/collections', {
      method: 'POST',
      json: { name: 'quarterly' },
    });
    expect(collection.ok).toBe(true);
    await upload('reports/q4.pdf', await generatedPdf({ pages: 2, table: reportTable }));
    const created = await watsonx.createTextExtraction({
      projectId,
      documentReference: ref('reports/q4.pdf'),
      resultsReference: { type: 'connection_asset', location: { collection: 'quarterly' } } as never,
    });
    const done = await finished(created.result.metadata!.id);
    const keelResults = (done.entity!.results as unknown as { keel: { collection: Record<string, string> } })
      .keel;
    expect(keelResults.collection).toMatchObject({
      collection: 'quarterly',
      document: 'reports/q4.pdf.md',
      outcome: 'queued',
    });
    const jobId = keelResults.collection.ingestion_job_id;
    for (;;) {
      const job = (await (await keel.call(`/api/v1/collections/quarterly/jobs/${jobId}`)).json()) as {
        status: string;
      };
      if (job.status === 'succeeded') break;
      expect(['queued', 'running']).toContain(job.status);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const search = (await (
      await keel.call('/api/v1/collections/quarterly/search', {
        method: 'POST',
        json: { query: 'Region Q3' },
      })
    ).json()) as { hits: { text: string; pages: number[] | null; document: string }[] };
    expect(search.hits.some((hit) => hit.text.includes('| Region | Q1 | Q2 | Q3 |'))).toBe(true);
    expect(search.hits.every((hit) => !hit.text.includes('<!--') && hit.pages?.length)).toBe(true);
    expect(new Set(search.hits.flatMap((hit) => hit.pages ?? []))).toEqual(new Set([1, 2]));

    // A collection that does not exist is a coded 404 when the extraction is asked for.
    await expect(
      watsonx.createTextExtraction({
        projectId,
        documentReference: ref('reports/q4.pdf'),
        resultsReference: { type: 'connection_asset', location: { collection: 'nowhere' } } as never,
      }),
    ).rejects.toMatchObject({ status: 404 });
  });

  it('fails a corrupt and an encrypted file with a coded error in the job result', async () => {
    await upload('broken.pdf', Buffer.from('%PDF-1.4\nnot a pdf at all'));
    await upload('locked.pdf', await encryptedPdf());
    for (const [file, code] of [
      ['broken.pdf', 'document_corrupt'],
      ['locked.pdf', 'document_encrypted'],
    ] as const) {
      const created = await watsonx.createTextExtraction({
        projectId,
        documentReference: ref(file),
        resultsReference: ref(`${file}.md`),
      });
      const done = await finished(created.result.metadata!.id);
      expect(done.entity!.results).toMatchObject({ status: 'failed', error: { code } });
    }
  });

  it('answers bad requests in watsonx’s error shape', async () => {
    const missing = await keel.call('/ml/v1/text/extractions?version=2024-05-31', {
      method: 'POST',
      json: { document_reference: ref('a.pdf'), results_reference: ref('a.md') },
    });
    expect(missing.status).toBe(400);
    const body = (await missing.json()) as { errors: { code: string }[]; trace: string; status_code: number };
    expect(body.errors[0]!.code).toBe('project_required');
    expect(body.status_code).toBe(400);
    expect(typeof body.trace).toBe('string');

    // As in watsonx, a missing document fails the job, not the request.
    const missingFile = await watsonx.createTextExtraction({
      projectId,
      documentReference: ref('nope.pdf'),
      resultsReference: ref('out/'),
    });
    const failed = await finished(missingFile.result.metadata!.id);
    expect(failed.entity!.results).toMatchObject({ status: 'failed', error: { code: 'not_found' } });
    await expect(
      watsonx.createTextExtraction({
        projectId,
        documentReference: ref('a/../../b.pdf'),
        resultsReference: ref('n.md'),
      }),
    ).rejects.toMatchObject({ status: 400 });
    const outside = await upload('../escape.pdf', Buffer.from('x'));
    expect(outside.status).toBe(400);
    await expect(watsonx.getTextExtraction({ id: 'missing', projectId })).rejects.toMatchObject({
      status: 404,
    });
  });
});
