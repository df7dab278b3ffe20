/**
 * The audit chain through the HTTP API: changes made by callers are recorded with their key, role
 * and request id; reading is filtered and scoped by role; the chain verifies.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditRecordJson } from '../api/audit.js';
import { AuditApi } from '../sdk/audit.js';
import { apiError, sdkClient } from '../testing/sdk.js';
import { createTestKeel, type TestKeel } from '../testing/test-keel.js';

let keel: TestKeel;
let admin: ReturnType<typeof sdkClient>;
let audit: AuditApi;
let projectId: string;

beforeAll(async () => {
  keel = await createTestKeel();
  admin = sdkClient(keel);
  audit = new AuditApi(admin);
  projectId = keel.services.installation.defaultProjectId;
});
afterAll(async () => {
  await keel.close();
});

async function records(query: Parameters<AuditApi['list']>[0] = {}): Promise<AuditRecordJson[]> {
  return (await audit.list({ order: 'asc', limit: 1000, ...query })).records;
}

describe('audit hooks', () => {
  it('records key create and revoke with the caller, its role and the request id', async () => {
    const key = await admin.keys.create({ name: 'hooked', role: 'viewer' });
    await admin.keys.revoke(key.id);
    const found = await records({ target_id: key.id });
    expect(found.map((record) => record.action)).toEqual(['key.create', 'key.revoke']);
    const [created] = found;
    expect(created).toMatchObject({
      project_id: projectId,
      target: { type: 'key', id: key.id },
      actor: { role: 'admin' },
      before_digest: null,
      detail: { role: 'viewer' },
    });
    expect(created!.actor.key_id).toMatch(/^key_/);
    expect(created!.request_id).toMatch(/^req_/);
    expect(created!.after_digest).toMatch(/^[0-9a-f]{64}$/);
    // The secret is nowhere in the record.
    expect(JSON.stringify(found)).not.toContain(key.key);
  });

  it('records template versions and labels, policy changes, collections and documents', async () => {
    await admin.prompts.create({ name: 'audited', template: { mode: 'freeform', text: 'Hello {{name}}' } });
    await admin.prompts.saveVersion('audited', {
      template: { mode: 'freeform', text: 'Hi {{name}}' },
      base_version: 1,
    });
    await admin.prompts.setLabel('audited', 'production', { version: 2 });
    await admin.guardrails.policies.put('strict', {});
    await admin.guardrails.policies.put('strict', { input: { hap: { action: 'block' } } });
    const collection = await admin.rag.create({ name: 'audited-docs' });
    await admin.rag.addDocuments(collection.id, [{ name: 'a.txt', text: 'Some text to index.' }]);
    const actions = (await records({ project_id: projectId })).map((record) => record.action);
    for (const action of [
      'template.create',
      'template.version.create',
      'template.label.set',
      'policy.create',
      'policy.update',
      'collection.create',
      'document.add',
    ]) {
      expect(actions).toContain(action);
    }
    const version = (await records({ action: 'template.version.create' }))[0]!;
    expect(version.detail).toEqual({ name: 'audited', version: 2 });
    expect((await records({ action: 'policy.*' })).map((record) => record.action)).toEqual([
      'policy.create',
      'policy.update',
    ]);
  });

  it('records a failed sign-in with a digest of the account name, never the name', async () => {
    await apiError(admin.auth.signIn('Nobody@Example.com', 'wrong password'));
    const [failed] = await records({ action: 'auth.sign_in.fail' });
    expect(failed).toMatchObject({ project_id: null, actor: { key_id: null } });
    expect(failed!.detail).toMatchObject({ reason: 'unknown', address: null });
    expect(String(failed!.detail!.account)).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(failed)).not.toMatch(/nobody/i);
  });
});

describe('GET /api/v1/audit', () => {
  it('filters by action, actor, target and time, and pages with a cursor', async () => {
    const first = await audit.list({ order: 'asc', limit: 2 });
    expect(first.records).toHaveLength(2);
    const second = await audit.list({ order: 'asc', limit: 2, cursor: first.next_cursor! });
    expect(second.records[0]!.seq).toBe(first.records[1]!.seq + 1);
    const all = [];
    for await (const record of audit.all({ order: 'asc' })) all.push(record);
    expect(all.map((record) => record.seq)).toEqual(all.map((_, index) => index + 1));
    const newestFirst = await audit.list({ limit: 3 });
    expect(newestFirst.records[0]!.seq).toBeGreaterThan(newestFirst.records[1]!.seq);
    const actor = all.find((record) => record.actor.key_id)!.actor.key_id!;
    expect((await records({ actor })).every((record) => record.actor.key_id === actor)).toBe(true);
    expect(await records({ since: '2999-01-01T00:00:00Z' })).toEqual([]);
    expect((await records({ until: '2999-01-01T00:00:00Z' })).length).toBe(all.length);
    expect((await records({ target_type: 'policy' })).length).toBe(2);
  });

  it('answers 400 for a malformed filter, never a 500', async () => {
    for (const query of [{ since: 'yesterday' }, { since: '0000-01-01T00:00:00Z' }, { cursor: '-1' }]) {
      expect((await apiError(audit.list(query))).status).toBe(400);
    }
    const inverted = await apiError(
      audit.list({ since: '2030-01-01T00:00:00Z', until: '2020-01-01T00:00:00Z' }),
    );
    expect(inverted.status).toBe(400);
  });

  it('lets validators and admins read their project only, and nobody else read at all', async () => {
    const validator = await admin.keys.create({ name: 'auditor', role: 'validator' });
    const editor = await admin.keys.create({ name: 'builder', role: 'editor' });
    const other = await admin.projects.create({ name: 'elsewhere' });
    const otherAdmin = await sdkClient(keel, keel.adminKey, other.id).keys.create({
      name: 'boss',
      role: 'admin',
    });
    await sdkClient(keel, otherAdmin.key).prompts.create({
      name: 'theirs',
      template: { mode: 'freeform', text: 'x' },
    });

    const asValidator = new AuditApi(sdkClient(keel, validator.key));
    const seen = (await asValidator.list({ limit: 1000 })).records;
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((record) => record.project_id === projectId)).toBe(true);
    expect((await apiError(asValidator.list({ project_id: other.id }))).status).toBe(404);

    const asOtherAdmin = (await new AuditApi(sdkClient(keel, otherAdmin.key)).list({ limit: 1000 })).records;
    expect(asOtherAdmin.map((record) => record.action)).toContain('template.create');
    expect(asOtherAdmin.every((record) => record.project_id === other.id)).toBe(true);

    expect((await apiError(new AuditApi(sdkClient(keel, editor.key)).list())).status).toBe(403);
    // A project named in the X-Keel-Project header scopes the read, for org admins too.
    const narrowed = (await new AuditApi(sdkClient(keel, keel.adminKey, other.id)).list({ limit: 1000 }))
      .records;
    expect(narrowed.length).toBeGreaterThan(0);
    expect(narrowed.every((record) => record.project_id === other.id)).toBe(true);
    expect((await apiError(new AuditApi(sdkClient(keel, validator.key, other.id)).list())).status).toBe(404);
    // Organisation-level records (sign-in failures) are for organisation admins only.
    expect(seen.some((record) => record.action === 'auth.sign_in.fail')).toBe(false);
    expect((await records({ action: 'auth.sign_in.fail' })).length).toBe(1);
    // Verification is for organisation admins.
    expect((await apiError(asValidator.verify())).status).toBe(403);
  });
});

describe('GET /api/v1/audit/verify', () => {
  it('verifies the chain the API calls built, and names a record altered in the database', async () => {
    const intact = await audit.verify();
    expect(intact).toMatchObject({ ok: true, problem: null });
    expect(intact.records).toBeGreaterThan(10);
    await keel.services.db.exec(
      "ALTER TABLE audit_log DISABLE TRIGGER USER; UPDATE audit_log SET actor_role = 'viewer' WHERE seq = 3; ALTER TABLE audit_log ENABLE TRIGGER USER",
    );
    expect((await audit.verify()).problem).toMatchObject({ seq: 3, kind: 'altered' });
  });

  it('records each verification in the chain: who checked, and the bad record a failed one found', async () => {
    const checks = await records({ action: 'audit.verify.*' });
    expect(checks.map((record) => record.action)).toEqual(['audit.verify.passed', 'audit.verify.failed']);
    const [passed, failed] = checks;
    expect(passed).toMatchObject({
      project_id: null,
      target: { type: 'audit_log', id: null },
      actor: { role: 'admin' },
    });
    expect(passed!.actor.key_id).toMatch(/^key_/);
    expect(passed!.request_id).toMatch(/^req_/);
    expect(passed!.detail).toMatchObject({
      records: expect.any(Number),
      head_hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(failed).toMatchObject({
      target: { type: 'audit_log', id: '3' },
      actor: { key_id: passed!.actor.key_id, role: 'admin' },
      detail: { problem_seq: 3, problem_kind: 'altered' },
    });
    // The failure is recorded after the head, so verifying again still names the altered record.
    expect((await audit.verify()).problem).toMatchObject({ seq: 3, kind: 'altered' });
    expect((await records({ action: 'audit.verify.failed' })).length).toBe(2);
  });
});
