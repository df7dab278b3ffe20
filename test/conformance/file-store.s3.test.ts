import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3ProjectFiles } from '../../src/extraction/s3-project-files.js';
import { type FakeS3, startFakeS3 } from '../../src/testing/fake-s3.js';
import { runFileStoreSuite } from './file-store.suite.js';

const storeFor = (s3: FakeS3, overrides: Partial<ConstructorParameters<typeof S3ProjectFiles>[0]> = {}) =>
  new S3ProjectFiles({
    endpoint: s3.url,
    bucket: s3.bucket,
    region: s3.region,
    accessKeyId: s3.accessKeyId,
    secretAccessKey: s3.secretAccessKey,
    ...overrides,
  });

// Pages of two keys, so listing must follow continuation tokens.
runFileStoreSuite('S3-compatible (fake S3 checking SigV4)', async () => {
  const s3 = await startFakeS3({ pageSize: 2 });
  const store = storeFor(s3);
  return {
    store,
    dispose: async () => {
      await store.close();
      await s3.close();
    },
  };
});

describe('S3 file store', () => {
  let s3: FakeS3;
  beforeAll(async () => {
    s3 = await startFakeS3({ pageSize: 2 });
  });
  afterAll(async () => {
    await s3?.close();
  });

  it('signs every request with SigV4 (the fake verifies each one) and keys objects under the prefix', async () => {
    const store = storeFor(s3, { prefix: 'keel/' });
    await store.write('proj_1', '보고서/a b+c.txt', new Uint8Array(Buffer.from('hello')));
    expect([...s3.objects.keys()]).toContain('keel/proj_1/보고서/a b+c.txt');
    expect((await store.read('proj_1', '보고서/a b+c.txt')).toString()).toBe('hello');
    await store.list('proj_1');
    expect(s3.requests.length).toBeGreaterThanOrEqual(4);
    for (const request of s3.requests) {
      expect(request.status).toBeLessThan(400);
      expect(request.signedHeaders).toEqual(
        expect.arrayContaining(['host', 'x-amz-date', 'x-amz-content-sha256']),
      );
    }
    expect(s3.requests.map((r) => r.method)).toEqual(expect.arrayContaining(['PUT', 'HEAD', 'GET']));
    expect(s3.requests.find((r) => r.query['list-type'] === '2')?.query.prefix).toBe('keel/proj_1/');
    await store.close();
  });

  it('a wrong secret is refused by the server (SignatureDoesNotMatch), and no credential reaches the error', async () => {
    const secret = 'wrong-secret-value-that-must-not-leak-0001';
    const store = storeFor(s3, { secretAccessKey: secret });
    const error = await store.write('p1', 'x.txt', new Uint8Array([1])).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'upstream_error',
      data: { code: 'SignatureDoesNotMatch', status: 403 },
    });
    expect(s3.requests.at(-1)!.status).toBe(403);
    const shown = `${(error as Error).message} ${JSON.stringify(error)} ${JSON.stringify(store)}`;
    expect(shown).not.toContain(secret);
    expect(JSON.stringify(store)).toContain(s3.bucket);
    // An unknown access key and a wrong region are refused too.
    await expect(storeFor(s3, { accessKeyId: 'AKIANOTKNOWN00000000' }).list('p1')).rejects.toMatchObject({
      data: { code: 'InvalidAccessKeyId' },
    });
    await expect(storeFor(s3, { region: 'eu-west-1' }).list('p1')).rejects.toMatchObject({
      code: 'upstream_error',
    });
    await store.close();
  });

  it('a missing bucket is a coded upstream error; an unreachable server is upstream_unavailable', async () => {
    await expect(storeFor(s3, { bucket: 'no-such-bucket' }).list('p1')).rejects.toMatchObject({
      code: 'upstream_error',
      data: { code: 'NoSuchBucket' },
    });
    const closed = await startFakeS3();
    await closed.close();
    const store = storeFor(closed, { timeoutMs: 2_000 });
    await expect(store.read('p1', 'a.txt')).rejects.toMatchObject({ code: 'upstream_unavailable' });
    await store.close();
  });
});
