import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureInstallation, recoverAdminKey } from '../../platform/bootstrap.js';
import { createTestKeel, TEST_ADMIN_KEY, type TestKeel } from '../../testing/test-keel.js';

let keel: TestKeel;
let bootstrapKeyId: string;
let projectAdminKey: string;

beforeAll(async () => {
  keel = await createTestKeel();
  const me = await (await keel.call('/api/v1/me')).json();
  bootstrapKeyId = me.key_id;
  const created = await keel.call('/api/v1/keys', { json: { name: 'project admin', role: 'admin' } });
  expect(created.status).toBe(201);
  projectAdminKey = (await created.json()).key;
});
afterAll(async () => {
  await keel.close();
});

async function createKey(body: Record<string, unknown>) {
  const response = await keel.call('/api/v1/keys', { json: { name: 'k', ...body } });
  return { status: response.status, body: await response.json() };
}

describe('key lifetimes', () => {
  it('refuses a lifetime of zero', async () => {
    const { status, body } = await createKey({ expires_in: '0s' });
    expect(status).toBe(400);
    expect(body.error.code).toBe('invalid_request');
    expect(body.error.issues[0]).toMatchObject({ code: 'too_small', path: ['expires_in'] });
  });

  it('refuses a lifetime beyond ten years, and an expiry date that far, without a 500', async () => {
    const huge = await createKey({ expires_in: '999999999999w' });
    expect(huge.status).toBe(400);
    expect(huge.body.error.issues[0]).toMatchObject({ code: 'too_big', path: ['expires_in'] });
    const digits = await createKey({ expires_in: `${'9'.repeat(30)}d` });
    expect(digits.status).toBe(400);
    const far = await createKey({ expires_at: '9999-01-01T00:00:00Z' });
    expect(far.status).toBe(400);
    expect(far.body.error.issues[0]).toMatchObject({ code: 'too_big', path: ['expires_at'] });
  });

  it('still accepts ordinary lifetimes', async () => {
    const { status, body } = await createKey({ expires_in: '30d' });
    expect(status).toBe(201);
    expect(new Date(body.expires_at).getTime()).toBeGreaterThan(Date.now() + 29 * 86_400_000);
  });
});

describe('errors that echo input', () => {
  it('stay small for 50,000 unknown fields and a key name of 500,000 characters', async () => {
    // Within the 1 MiB body limit of this route.
    const body: Record<string, unknown> = { name: 'k' };
    for (let i = 0; i < 50_000; i++) body[`f${i}`] = 1;
    body['q'.repeat(500_000)] = 1;
    const response = await keel.call('/api/v1/keys', { json: body });
    expect(response.status).toBe(400);
    const text = await response.text();
    expect(text.length).toBeLessThan(2000);
    expect(JSON.parse(text).error.code).toBe('invalid_request');
  });
});

describe('organisation-admin keys', () => {
  it('are out of a project admin’s reach: not listed, and revoking one is forbidden', async () => {
    const listed = await (await keel.call('/api/v1/keys', { key: projectAdminKey })).json();
    expect(listed.keys.map((key: { id: string }) => key.id)).not.toContain(bootstrapKeyId);
    const revoke = await keel.call(`/api/v1/keys/${bootstrapKeyId}`, {
      method: 'DELETE',
      key: projectAdminKey,
    });
    expect(revoke.status).toBe(403);
    expect((await revoke.json()).error.code).toBe('forbidden');
    expect((await keel.call('/api/v1/me')).status).toBe(200);
  });

  it('are listed and revoked by an organisation admin', async () => {
    const listed = await (await keel.call('/api/v1/keys')).json();
    expect(listed.keys.map((key: { id: string }) => key.id)).toContain(bootstrapKeyId);
    const missing = await keel.call('/api/v1/keys/key_nope', { method: 'DELETE' });
    expect(missing.status).toBe(404);
  });

  it('come back on a start with KEEL_BOOTSTRAP_KEY after being revoked', async () => {
    const revoke = await keel.call(`/api/v1/keys/${bootstrapKeyId}`, { method: 'DELETE' });
    expect(revoke.status).toBe(200);
    keel.services.keys.invalidate();
    expect((await keel.call('/api/v1/me')).status).toBe(401);
    await ensureInstallation(keel.services.db, { bootstrapKey: TEST_ADMIN_KEY, audit: keel.services.audit });
    keel.services.keys.invalidate();
    const principal = await keel.services.keys.authenticate(TEST_ADMIN_KEY);
    expect(principal).toMatchObject({ keyId: bootstrapKeyId, orgAdmin: true });
    await keel.services.audit.flush();
    const { rows } = await keel.services.db.query<{ action: string }>(
      "SELECT action FROM audit_log WHERE action = 'key.restore' AND target_id = $1",
      [bootstrapKeyId],
    );
    expect(rows).toHaveLength(1);
  });

  it('can be recovered on the machine: a fresh org-admin key, audited', async () => {
    const recovered = await recoverAdminKey(keel.services.db, { audit: keel.services.audit });
    const principal = await keel.services.keys.authenticate(recovered.secret);
    expect(principal).toMatchObject({ keyId: recovered.keyId, orgAdmin: true });
    await keel.services.audit.flush();
    const { rows } = await keel.services.db.query<{ actor_role: string }>(
      "SELECT actor_role FROM audit_log WHERE action = 'key.recover' AND target_id = $1",
      [recovered.keyId],
    );
    expect(rows).toEqual([{ actor_role: 'local-operator' }]);
  });
});
