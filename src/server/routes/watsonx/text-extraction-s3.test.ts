/**
 * Text extraction with project files in S3-compatible storage (`files.storage: s3` in keel.yaml):
 * the same routes and SDK calls as with the local folder, against a fake S3 server on 127.0.0.1
 * that checks every request's SigV4 signature. Nothing lands in the data directory's folder.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { WatsonXAI } from '@ibm-cloud/watsonx-ai';
import { BearerTokenAuthenticator } from 'ibm-cloud-sdk-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../core/config.js';
import { generatedPdf, reportTable } from '../../../extraction/testing/generated-pdf.js';
import { type FakeS3, startFakeS3 } from '../../../testing/fake-s3.js';
import { createTestKeel, type TestKeel } from '../../../testing/test-keel.js';
import { type ListeningServer, listen } from '../../listen.js';

let s3: FakeS3;
let keel: TestKeel;
let server: ListeningServer;
let watsonx: WatsonXAI;
let projectId: string;

const ref = (fileName: string) => ({
  type: 'connection_asset',
  connection: { id: 'project-files' },
  location: { file_name: fileName },
});

beforeAll(async () => {
  s3 = await startFakeS3({ bucket: 'keel-files', region: 'eu-central-1', pageSize: 1 });
  keel = await createTestKeel({
    config: {
      files: {
        storage: 's3',
        s3: {
          endpoint: s3.url,
          bucket: s3.bucket,
          region: s3.region,
          prefix: 'tenant-a/',
          accessKeyId: s3.accessKeyId,
          secretAccessKey: s3.secretAccessKey,
        },
      },
    },
  });
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
  await s3?.close();
});

describe('text extraction with S3-compatible file storage', () => {
  it('uploads to the bucket, extracts from it, writes the result to it, lists and deletes there', async () => {
    const put = await keel.call(`/api/v1/files/reports%2Fq3.pdf?project_id=${projectId}`, {
      method: 'PUT',
      body: Buffer.from(await generatedPdf({ pages: 2, table: reportTable })),
      headers: { 'content-type': 'application/octet-stream' },
    });
    expect(put.status).toBe(201);
    expect(s3.objects.has(`tenant-a/${projectId}/reports/q3.pdf`)).toBe(true);
    expect(existsSync(path.join(keel.dataDir, 'files', projectId))).toBe(false);

    const created = await watsonx.createTextExtraction({
      projectId,
      documentReference: ref('reports/q3.pdf'),
      resultsReference: ref('results/'),
    });
    const id = created.result.metadata!.id;
    let status = '';
    for (let i = 0; i < 400 && status !== 'completed' && status !== 'failed'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      const { result } = await watsonx.getTextExtraction({ id, projectId });
      status = (result.entity!.results as { status: string }).status;
    }
    expect(status).toBe('completed');
    const stored = s3.objects.get(`tenant-a/${projectId}/results/q3.pdf.md`);
    expect(stored?.data.toString('utf8')).toContain('| Region | Q1 | Q2 | Q3 |');

    // Listing follows the fake's one-key pages.
    const listed = (await (await keel.call(`/api/v1/files?project_id=${projectId}`)).json()) as {
      data: { name: string }[];
    };
    expect(listed.data.map((file) => file.name)).toEqual(['reports/q3.pdf', 'results/q3.pdf.md']);
    const read = await keel.call(`/api/v1/files/results%2Fq3.pdf.md?project_id=${projectId}`);
    expect(await read.text()).toContain('<!-- page 2 -->');
    expect(
      (await keel.call(`/api/v1/files/results%2Fq3.pdf.md?project_id=${projectId}`, { method: 'DELETE' }))
        .status,
    ).toBeLessThan(300);
    expect(s3.objects.has(`tenant-a/${projectId}/results/q3.pdf.md`)).toBe(false);
    expect((await keel.call(`/api/v1/files/results%2Fq3.pdf.md?project_id=${projectId}`)).status).toBe(404);
    // Every request the fake saw was signed and accepted.
    expect(s3.requests.length).toBeGreaterThan(5);
    expect(s3.requests.every((request) => request.signedHeaders.includes('x-amz-content-sha256'))).toBe(true);
    expect(s3.requests.filter((request) => request.status === 403)).toEqual([]);
  });

  it('a missing document fails the job with not_found, as with the folder', async () => {
    const created = await watsonx.createTextExtraction({
      projectId,
      documentReference: ref('missing.pdf'),
      resultsReference: ref('results/'),
    });
    const id = created.result.metadata!.id;
    let results: { status: string; error?: { code: string } } = { status: '' };
    for (let i = 0; i < 400 && results.status !== 'completed' && results.status !== 'failed'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      results = (await watsonx.getTextExtraction({ id, projectId })).result.entity!.results as typeof results;
    }
    expect(results).toMatchObject({ status: 'failed', error: { code: 'not_found' } });
  });
});

describe('files storage configuration', () => {
  const load = (env: Record<string, string>) => () => loadConfig({ env, cwd: '/nonexistent-keel-dir' });

  it('takes S3 settings and credentials from KEEL_* variables', () => {
    const config = load({
      KEEL_FILES_STORAGE: 's3',
      KEEL_S3_BUCKET: 'my-bucket',
      KEEL_S3_ENDPOINT: 'http://127.0.0.1:9000',
      KEEL_S3_ACCESS_KEY_ID: 'AKIAEXAMPLE',
      KEEL_S3_SECRET_ACCESS_KEY: 'example-secret',
    })();
    expect(config.files).toMatchObject({
      storage: 's3',
      s3: { bucket: 'my-bucket', region: 'us-east-1', prefix: 'files/', forcePathStyle: true },
    });
  });

  it('refuses s3 storage without a bucket or credentials, naming the missing setting but no value', () => {
    expect(load({ KEEL_FILES_STORAGE: 's3' })).toThrow(expect.objectContaining({ code: 'invalid_config' }));
    let message = '';
    try {
      load({ KEEL_FILES_STORAGE: 's3', KEEL_S3_BUCKET: 'b1x', KEEL_S3_ACCESS_KEY_ID: 'AKIAEXAMPLE' })();
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('files.s3.secretAccessKey');
    expect(message).not.toContain('AKIAEXAMPLE');
    expect(load({ KEEL_FILES_STORAGE: 'ftp' })).toThrow(expect.objectContaining({ code: 'invalid_config' }));
  });
});
