import { afterAll, describe, expect, it } from 'vitest';
import type { DatabaseV1 } from '../spec/database.js';
import { migrate } from '../storage/core/migrator.js';
import { createPostgresDatabase } from '../storage/postgres/index.js';
import { createTestDatabase, createTestPostgresDatabase, testPostgresUrl } from '../testing/database.js';
import { JobService } from './job-service.js';

/** Two replicas on one database race for the same jobs: each job runs exactly once. */
async function race(databases: [DatabaseV1, DatabaseV1]): Promise<void> {
  const runs: { job: string; owner: string }[] = [];
  const replicas = databases.map(
    (db, n) => new JobService({ db, owner: `replica-${n}`, pollMs: 10, concurrency: 4, leaseMs: 10_000 }),
  );
  for (const replica of replicas)
    replica.register<{ n: number }, { owner: string }>('race.work', {
      concurrency: 4,
      async run(ctx) {
        runs.push({ job: ctx.job.id, owner: replica.owner });
        await new Promise((resolve) => setTimeout(resolve, 5));
        return { owner: replica.owner };
      },
    });
  try {
    const ids: string[] = [];
    for (let n = 0; n < 40; n++)
      ids.push((await replicas[n % 2]!.enqueue({ projectId: 'p', kind: 'race.work', payload: { n } })).id);
    await Promise.all(replicas.map((replica) => replica.start()));
    const finished = await Promise.all(ids.map((id) => replicas[0]!.wait(id)));
    expect(finished.every((job) => job.status === 'succeeded' && job.attempts === 1)).toBe(true);
    expect(runs.map((run) => run.job).sort()).toEqual([...ids].sort());
    for (const job of finished)
      expect((job.result as { owner: string }).owner).toBe(runs.find((run) => run.job === job.id)!.owner);
  } finally {
    for (const replica of replicas) await replica.stop();
  }
}

describe('racing replicas', () => {
  it('PGlite: two job services on one database run each job exactly once', { timeout: 300_000 }, async () => {
    const db = await createTestDatabase();
    try {
      await race([db, db]);
    } finally {
      await db.close();
    }
  });

  const postgres = testPostgresUrl ? it : it.skip;
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups) await cleanup();
  });
  postgres(
    'PostgreSQL: two job services with their own pools run each job exactly once',
    { timeout: 300_000 },
    async () => {
      const { db, url, drop } = await createTestPostgresDatabase();
      cleanups.push(drop);
      await migrate(db);
      const second = await createPostgresDatabase({ connectionString: url, max: 4 });
      cleanups.unshift(() => second.close());
      await race([db, second]);
    },
  );
});
