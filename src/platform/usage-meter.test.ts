import { Writable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../core/logger.js';
import { KeelMetrics } from '../core/metrics.js';
import type { PGliteDatabase } from '../storage/pglite/index.js';
import { createTestDatabase } from '../testing/database.js';
import { BatchWriter, storableText } from './batch-writer.js';
import { type UsageEvent, UsageMeter } from './usage-meter.js';

function call(projectId: string, modelId: string, extra: Partial<UsageEvent> = {}): UsageEvent {
  return {
    projectId,
    keyId: 'key_1',
    modelId,
    endpoint: '/v1/embeddings',
    inputTokens: 3,
    outputTokens: 0,
    latencyMs: 1.5,
    status: 200,
    ...extra,
  };
}

function memoryLogger(): { logger: ReturnType<typeof createLogger>; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { logger: createLogger('info', stream), lines };
}

let db: PGliteDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db.close();
});

async function countFor(projectId: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM usage_events WHERE project_id = $1',
    [projectId],
  );
  return rows[0]!.n;
}

describe('UsageMeter', () => {
  it('keeps every other call when one carries a NUL or a lone surrogate', async () => {
    const meter = new UsageMeter(db, { flushIntervalMs: 60_000 });
    meter.record(call('prj_a', 'x\u0000y'));
    meter.record(call('prj_a', 'bad\uD800', { errorCode: 'e\u0000', endpoint: '/v1/\uDC00' }));
    for (let i = 0; i < 10; i++) meter.record(call('prj_b', `model-${i}`));
    await meter.close();
    expect(await countFor('prj_b')).toBe(10);
    const { rows } = await db.query<{ model_id: string; error_code: string | null }>(
      'SELECT model_id, error_code FROM usage_events WHERE project_id = $1 ORDER BY id',
      ['prj_a'],
    );
    expect(rows).toEqual([
      { model_id: 'x\uFFFDy', error_code: null },
      { model_id: 'bad\uFFFD', error_code: 'e\uFFFD' },
    ]);
    expect(meter.stats).toEqual({ written: 12, quarantined: 0, pending: 0 });
  });

  it('clamps numbers that do not fit their columns', async () => {
    const meter = new UsageMeter(db, { flushIntervalMs: 60_000 });
    meter.record(
      call('prj_n', 'm', {
        inputTokens: 1e12,
        outputTokens: Number.NaN,
        latencyMs: Number.POSITIVE_INFINITY,
        status: -5,
        atMs: 1e20,
      }),
    );
    meter.record(call('prj_n', 'm', { inputTokens: -3, atMs: Number.NaN }));
    await meter.close();
    const { rows } = await db.query<{ input_tokens: number; output_tokens: number; status: number }>(
      'SELECT input_tokens, output_tokens, status FROM usage_events WHERE project_id = $1 ORDER BY id',
      ['prj_n'],
    );
    expect(rows).toEqual([
      { input_tokens: 2_147_483_647, output_tokens: 0, status: 0 },
      { input_tokens: 0, output_tokens: 3 - 3, status: 200 },
    ]);
  });

  it('writes everything still buffered on close', async () => {
    const meter = new UsageMeter(db, { flushIntervalMs: 60_000, maxBatch: 100 });
    for (let i = 0; i < 250; i++) meter.record(call('prj_c', 'm'));
    await meter.close();
    expect(await countFor('prj_c')).toBe(250);
  });
});

describe('BatchWriter', () => {
  beforeEach(async () => {
    await db.exec("DROP TABLE IF EXISTS picky; CREATE TABLE picky (v text NOT NULL CHECK (v <> 'never'))");
  });

  const insert = (values: string[]) =>
    db.query('INSERT INTO picky (v) SELECT * FROM unnest($1::text[])', [values]).then(() => undefined);

  it('quarantines the record the database refuses and writes the rest, with a coded log and a metric', async () => {
    const { logger, lines } = memoryLogger();
    const metrics = new KeelMetrics({ defaultMetrics: false });
    const writer = new BatchWriter<string>({
      name: 'picky',
      write: insert,
      logger,
      metrics,
      flushIntervalMs: 60_000,
    });
    for (let i = 0; i < 100; i++) writer.push(i === 37 || i === 80 ? 'never' : `v${i}`);
    await writer.close();
    const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM picky');
    expect(rows[0]!.n).toBe(98);
    expect(writer.stats).toEqual({ written: 98, quarantined: 2 });
    const quarantined = lines.filter((line) => line.code === 'batch_record_quarantined');
    expect(quarantined).toHaveLength(2);
    expect(quarantined[0]).toMatchObject({ writer: 'picky', reason: 'rejected_value', sqlState: '23514' });
    expect(JSON.stringify(lines)).not.toContain('never');
    expect(await metrics.registry.getSingleMetricAsString('keel_batch_records_quarantined_total')).toContain(
      'keel_batch_records_quarantined_total{writer="picky",reason="rejected_value"} 2',
    );
  });

  it('keeps a batch through an outage and writes it once the database can take it', async () => {
    const { logger } = memoryLogger();
    await db.exec('DROP TABLE picky');
    const writer = new BatchWriter<string>({
      name: 'picky',
      write: insert,
      logger,
      flushIntervalMs: 60_000,
      backoffMs: 10,
    });
    for (let i = 0; i < 5; i++) writer.push(`v${i}`);
    await writer.flush();
    expect(writer.pending).toBe(5);
    await db.exec("CREATE TABLE picky (v text NOT NULL CHECK (v <> 'never'))");
    await writer.close();
    const { rows } = await db.query<{ v: string }>('SELECT v FROM picky ORDER BY v');
    expect(rows.map((row) => row.v)).toEqual(['v0', 'v1', 'v2', 'v3', 'v4']);
    expect(writer.stats).toEqual({ written: 5, quarantined: 0 });
  });

  it('sets aside, counted, what close cannot write before its deadline', async () => {
    const { logger, lines } = memoryLogger();
    await db.exec('DROP TABLE picky');
    const writer = new BatchWriter<string>({
      name: 'picky',
      write: insert,
      logger,
      flushIntervalMs: 60_000,
      closeTimeoutMs: 100,
    });
    writer.push('a');
    await writer.close();
    expect(writer.stats.quarantined).toBe(1);
    expect(lines.some((line) => line.reason === 'closed')).toBe(true);
  });
});

describe('storableText', () => {
  it('replaces NUL and unpaired surrogates, keeps pairs, and caps the length', () => {
    expect(storableText('a\u0000b\uD83D\uDE00c\uD83Dd\uDE00')).toBe('a\uFFFDb\uD83D\uDE00c\uFFFDd\uFFFD');
    expect(storableText('x'.repeat(50), 10)).toBe('x'.repeat(10));
    expect(storableText(`${'x'.repeat(9)}\uD83D\uDE00`, 10)).toBe(`${'x'.repeat(9)}\uFFFD`);
  });
});
