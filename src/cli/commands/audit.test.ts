/**
 * `keel audit verify|export` in local mode: the CLI opens the data directory itself.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../storage/index.js';
import { captureIO } from '../../testing/cli-io.js';
import { runCli } from '../main.js';

let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'keel-audit-cli-'));
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

async function keel(...args: string[]) {
  const captured = captureIO({ KEEL_LOG_LEVEL: 'silent' });
  const code = await runCli(['--data-dir', dataDir, ...args], captured.io);
  return { code, out: captured.out(), err: captured.err() };
}

describe('keel audit', () => {
  it('verifies and exports the chain, and names a record altered in the database', {
    timeout: 240_000,
  }, async () => {
    expect((await keel('keys', 'create', '--name', 'one')).code).toBe(0);
    expect((await keel('keys', 'create', '--name', 'two', '--role', 'viewer')).code).toBe(0);

    const verified = await keel('audit', 'verify');
    expect(verified.code).toBe(0);
    expect(verified.out).toMatch(/The audit chain is intact: \d+ records/);

    const exported = await keel('audit', 'export', '--action', 'key.*');
    expect(exported.code).toBe(0);
    const lines = exported.out
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.map((line) => line.action)).toEqual(['key.create', 'key.create']);
    // In process, the CLI acts as the local administrator.
    expect(lines[1]).toMatchObject({
      actor: { key_id: 'local-cli', role: 'admin' },
      detail: { role: 'viewer' },
    });

    const db = await openDatabase({ dataDir });
    const target = Number(lines[1]!.seq);
    await db.exec(
      `ALTER TABLE audit_log DISABLE TRIGGER USER; UPDATE audit_log SET actor_role = 'viewer' WHERE seq = ${target}; ALTER TABLE audit_log ENABLE TRIGGER USER`,
    );
    await db.close();
    const broken = await keel('--json', 'audit', 'verify');
    expect(broken.code).toBe(65);
    expect(JSON.parse(broken.out)).toMatchObject({ ok: false, problem: { seq: target, kind: 'altered' } });

    // Both verifications are in the chain, the failed one naming the altered record.
    const checks = await keel('audit', 'export', '--action', 'audit.verify.*');
    const recorded = checks.out
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(recorded.map((line) => line.action)).toEqual(['audit.verify.passed', 'audit.verify.failed']);
    expect(recorded[1]).toMatchObject({
      actor: { key_id: 'local-cli', role: 'admin' },
      detail: { problem_seq: target, problem_kind: 'altered' },
    });
  });
});
