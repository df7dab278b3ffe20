/**
 * Data uploads with project files in S3-compatible storage (`files.storage: s3`): each upload is
 * also kept in the bucket, under the configured prefix and `data-sources/`, so a replica whose own
 * folder lacks the file fetches it before it queries; removing the table removes the object. The
 * fake S3 server on 127.0.0.1 checks every request's SigV4 signature.
 */
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeS3, startFakeS3 } from '../../../testing/fake-s3.js';
import { createTestKeel, type TestKeel } from '../../../testing/test-keel.js';

let s3: FakeS3;
let keel: TestKeel;

beforeAll(async () => {
  s3 = await startFakeS3({ bucket: 'keel-files', region: 'eu-central-1' });
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
});
afterAll(async () => {
  await keel?.close();
  await s3?.close();
});

describe('data uploads with S3-compatible file storage', () => {
  it('keeps each upload in the bucket and fetches it where the local copy is missing', async () => {
    const projectId = keel.services.installation.defaultProjectId;
    const data = keel.services.data;
    const added = await data.add(projectId, {
      name: 'cities',
      data: new TextEncoder().encode('city,people\nSeoul,9400000\nBusan,3300000\n'),
      fileName: 'cities.csv',
    });
    const key = `tenant-a/data-sources/${projectId}/${added.id}.csv`;
    expect([...s3.objects.keys()]).toContain(key);
    expect((await data.query(projectId, { sql: 'SELECT count(*) AS n FROM cities' })).rows).toEqual([[2]]);

    // As on a replica that never received it: no local copy, and an engine opened afresh.
    await rm(added.path);
    await data.add(projectId, { name: 'other', data: new TextEncoder().encode('x\n1\n'), fileName: 'o.csv' });
    const answer = await data.query(projectId, { sql: "SELECT people FROM cities WHERE city = 'Busan'" });
    expect(answer.rows).toEqual([[3300000]]);

    await data.remove(projectId, 'cities');
    expect([...s3.objects.keys()]).not.toContain(key);
  });
});
