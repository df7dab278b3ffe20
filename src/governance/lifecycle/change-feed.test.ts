/**
 * The change feed polls less often while the chain is quiet and comes back to its short pause when
 * records arrive: on PGlite the `keel_audit` notification of an append reaches it in process.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AuditLog } from '../../audit/index.js';
import type { DatabaseV1 } from '../../spec/database.js';
import { createTestDatabase } from '../../testing/database.js';
import { type AssetChange, ChangeFeed } from './change-feed.js';

const open: { feed: ChangeFeed; db: DatabaseV1 }[] = [];

async function feedOn(options: { intervalMs: number; idleIntervalMs: number }) {
  const db = await createTestDatabase();
  await db.query("INSERT INTO organizations (id, name) VALUES ('org_feed', 'feed')");
  await db.query("INSERT INTO projects (id, organization_id, name) VALUES ('prj_feed', 'org_feed', 'feed')");
  const applied: AssetChange[] = [];
  const errors: unknown[] = [];
  const feed = new ChangeFeed({
    db,
    apply: async (change) => {
      applied.push(change);
    },
    touched: () => {},
    onError: (error) => errors.push(error),
    ...options,
  });
  open.push({ feed, db });
  await feed.start();
  return { db, feed, applied, errors };
}

afterEach(async () => {
  for (const { feed, db } of open.splice(0)) {
    await feed.stop();
    await db.close();
  }
});

describe('governance change feed', () => {
  it('doubles its pause on each empty pass, up to idleIntervalMs', async () => {
    const { feed, errors } = await feedOn({ intervalMs: 10, idleIntervalMs: 80 });
    expect(feed.currentIntervalMs).toBe(10);
    const seen = new Set<number>();
    await vi.waitFor(
      () => {
        seen.add(feed.currentIntervalMs);
        expect(feed.currentIntervalMs).toBe(80);
      },
      { timeout: 30_000, interval: 1 },
    );
    // It never goes past the idle pause.
    for (const pause of seen) expect(pause).toBeLessThanOrEqual(80);
    expect(errors).toEqual([]);
  });

  it('is nudged back to its short pause by an append to the audit chain, and applies the change', async () => {
    const { db, feed, applied, errors } = await feedOn({ intervalMs: 200, idleIntervalMs: 1600 });
    await vi.waitFor(() => expect(feed.currentIntervalMs).toBe(1600), { timeout: 60_000, interval: 5 });

    const audit = new AuditLog(db);
    audit.record({
      action: 'template.version.create',
      projectId: 'prj_feed',
      target: { type: 'template', id: 'greeting' },
      detail: { version: 2 },
    });
    await audit.flush();
    // The notification came with the commit: the feed is back to its short pause (it could only
    // have doubled again after passes that found nothing, not all the way back to idle).
    expect(feed.currentIntervalMs).toBeLessThan(1600);
    await vi.waitFor(() => expect(applied).toHaveLength(1), { timeout: 30_000 });
    expect(applied[0]).toMatchObject({
      projectId: 'prj_feed',
      source: { type: 'template', id: 'greeting' },
      version: 2,
      cause: 'template.version.create',
    });
    expect(errors).toEqual([]);
    await audit.close();
  });

  it('nudge() brings a pass due later forward and resets the pause', async () => {
    const { feed } = await feedOn({ intervalMs: 10, idleIntervalMs: 10_000 });
    await vi.waitFor(() => expect(feed.currentIntervalMs).toBeGreaterThanOrEqual(640), {
      timeout: 30_000,
      interval: 5,
    });
    feed.nudge();
    expect(feed.currentIntervalMs).toBe(10);
  });
});
