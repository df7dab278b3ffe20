/**
 * @module bench/audit/run
 * The audit chain benchmark. Append throughput: batched appends (the AuditLog as the server runs
 * it) beside one record per transaction (the anchor). Verification over a large chain (1M records
 * by default, inserted directly: hashes computed here, many rows per statement) beside a plain
 * paged read of the same rows (the anchor: what reading alone costs). PGlite always; PostgreSQL
 * too when KEEL_TEST_DATABASE_URL is set. Prints a table, then ONE JSON line.
 *
 *   npx tsx bench/audit/run.ts          (KEEL_BENCH_RECORDS=<n> to change the 1,000,000)
 */

import { AUDIT_SELECT, chainHash, GENESIS_HASH, type RecordFields } from '../../src/audit/audit-record.js';
import { digestOf } from '../../src/audit/canonical-json.js';
import { AuditLog } from '../../src/audit/index.js';
import type { DatabaseV1 } from '../../src/spec/database.js';
import {
  createTestDatabase,
  createTestPostgresDatabase,
  testPostgresUrl,
} from '../../src/testing/database.js';

const RECORDS = Number(process.env.KEEL_BENCH_RECORDS ?? 1_000_000);
const BATCHED = 20_000;
const SINGLE = 1_000;
const log = (line: string) => process.stdout.write(`${line}\n`);

function event(index: number) {
  return {
    action: index % 3 ? 'template.version.create' : 'key.create',
    projectId: `prj_${index % 7}`,
    target: { type: 'template', id: `pt_${index}` },
    after: { index, text: 'Hello {{name}}' },
    detail: { version: index },
  };
}

async function appendRate(db: DatabaseV1, count: number, maxBatch: number): Promise<number> {
  const log = new AuditLog(db, { maxBatch, flushIntervalMs: 1 });
  const started = performance.now();
  if (maxBatch === 1) {
    // One record, one transaction, waited for: the way a naive audit write sits in each request.
    for (let index = 0; index < count; index++) {
      log.record(event(index));
      await log.flush();
    }
  } else {
    for (let index = 0; index < count; index++) log.record(event(index));
    await log.close();
  }
  return count / ((performance.now() - started) / 1000);
}

/** Appends `count` records straight into the table (same hashes as AuditLog), many per statement. */
async function fill(db: DatabaseV1, count: number): Promise<void> {
  const last = await db.query<{ seq: number; hash: Uint8Array }>(
    'SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1',
  );
  let seq = last.rows[0] ? Number(last.rows[0].seq) : 0;
  let prev: Uint8Array = last.rows[0]?.hash ?? GENESIS_HASH;
  const digest = digestOf({ some: 'state' });
  const page = 5_000;
  const at = Date.now();
  for (let done = 0; done < count; done += page) {
    const columns: unknown[][] = Array.from({ length: 10 }, () => []);
    for (let index = 0; index < Math.min(page, count - done); index++) {
      seq++;
      const fields: RecordFields = {
        at: at + seq,
        actor_key_id: `key_${seq % 13}`,
        actor_user_id: null,
        actor_role: 'admin',
        project_id: `prj_${seq % 7}`,
        action: 'template.version.create',
        target_type: 'template',
        target_id: `pt_${seq}`,
        before_digest: null,
        after_digest: digest,
        request_id: `req_${seq}`,
        detail: `{"version":${seq}}`,
      };
      const hash = chainHash(prev, fields, seq);
      const values = [
        seq,
        fields.at,
        fields.actor_key_id,
        fields.project_id,
        fields.target_id,
        fields.request_id,
        fields.detail,
        Buffer.from(prev).toString('hex'),
        hash.toString('hex'),
        fields.after_digest,
      ];
      values.forEach((value, column) => columns[column]!.push(value));
      prev = hash;
    }
    await db.query(
      `INSERT INTO audit_log (seq, occurred_at, actor_key_id, actor_user_id, actor_role, project_id, action, target_type, target_id, before_digest, after_digest, request_id, detail, prev_hash, hash)
       SELECT s, timestamptz 'epoch' + a * interval '1 millisecond', k, NULL, 'admin', p, 'template.version.create', 'template', t, NULL, ad, r, d, decode(ph, 'hex'), decode(h, 'hex')
         FROM unnest($1::int8[], $2::int8[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[])
           AS u(s, a, k, p, t, r, d, ph, h, ad)`,
      columns,
    );
  }
}

/** The anchor: the same pages read, nothing computed. */
async function readRate(db: DatabaseV1): Promise<number> {
  const started = performance.now();
  let after = 0;
  let total = 0;
  for (;;) {
    const page = await db.query<{ seq: number }>(
      `SELECT ${AUDIT_SELECT} FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT 10000`,
      [after],
    );
    total += page.rows.length;
    if (page.rows.length < 10_000) break;
    after = Number(page.rows.at(-1)!.seq);
  }
  return total / ((performance.now() - started) / 1000);
}

interface EngineFigures {
  engine: string;
  appendBatched: number;
  appendSingle: number;
  records: number;
  fillSeconds: number;
  verify: number;
  verifyRows: number;
  read: number;
  verifyOk: boolean;
}

async function measure(engine: string, db: DatabaseV1): Promise<EngineFigures> {
  const appendBatched = await appendRate(db, BATCHED, 500);
  const appendSingle = await appendRate(db, SINGLE, 1);
  const fillStarted = performance.now();
  await fill(db, RECORDS - BATCHED - SINGLE);
  const fillSeconds = (performance.now() - fillStarted) / 1000;
  await db.query('ANALYZE audit_log');
  const read = await readRate(db);
  const result = await new AuditLog(db).verify();
  // The row pass alone (what a signed chain, or the diagnosis after a failed page, costs).
  const rowsSample = await new AuditLog(db).verify({ mode: 'rows' });
  return {
    engine,
    appendBatched,
    appendSingle,
    records: result.records,
    fillSeconds,
    verify: result.records / (result.elapsedMs / 1000),
    verifyRows: rowsSample.records / (rowsSample.elapsedMs / 1000),
    read,
    verifyOk: result.ok,
  };
}

async function main(): Promise<void> {
  const figures: EngineFigures[] = [];
  const pglite = await createTestDatabase();
  try {
    figures.push(await measure('pglite', pglite));
  } finally {
    await pglite.close();
  }
  if (testPostgresUrl) {
    const server = await createTestPostgresDatabase();
    try {
      const { migrate } = await import('../../src/storage/core/migrator.js');
      await migrate(server.db);
      figures.push(await measure('postgres', server.db));
    } finally {
      await server.drop();
    }
  }
  const k = (value: number) => `${Math.round(value).toLocaleString('en-US')}`;
  log(
    '| engine | append batched rec/s | append 1/txn rec/s (anchor) | ratio | records | verify rec/s | row-pass verify rec/s | paged read rec/s (anchor) | verify ÷ read | chain ok |',
  );
  log('|---|---|---|---|---|---|---|---|---|---|');
  for (const row of figures) {
    log(
      `| ${row.engine} | ${k(row.appendBatched)} | ${k(row.appendSingle)} | ${(row.appendBatched / row.appendSingle).toFixed(1)}× | ${k(row.records)} | ${k(row.verify)} | ${k(row.verifyRows)} | ${k(row.read)} | ${(row.verify / row.read).toFixed(2)} | ${row.verifyOk} |`,
    );
  }
  log(
    JSON.stringify({
      bench: 'audit',
      records: RECORDS,
      engines: Object.fromEntries(
        figures.map((row) => [
          row.engine,
          {
            append_batched_per_s: Math.round(row.appendBatched),
            append_single_per_s: Math.round(row.appendSingle),
            append_ratio: Number((row.appendBatched / row.appendSingle).toFixed(2)),
            verify_per_s: Math.round(row.verify),
            verify_row_pass_per_s: Math.round(row.verifyRows),
            read_per_s: Math.round(row.read),
            verify_over_read: Number((row.verify / row.read).toFixed(3)),
            fill_s: Number(row.fillSeconds.toFixed(1)),
            verified: row.verifyOk,
          },
        ]),
      ),
    }),
  );
}

await main();
