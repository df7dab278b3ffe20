import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignInThrottle } from '../../platform/sign-in-throttle.js';
import { createTestKeel, type TestKeel } from '../../testing/test-keel.js';

let keel: TestKeel;

beforeAll(async () => {
  keel = await createTestKeel();
  const { organizationId } = keel.services.installation;
  await keel.services.users.create({
    organizationId,
    email: 'ada@example.com',
    password: 'right-password',
    orgAdmin: true,
  });
  await keel.services.users.create({
    organizationId,
    email: 'bob@example.com',
    password: 'right-password',
    orgAdmin: true,
  });
});
afterAll(async () => {
  await keel.close();
});

const signIn = (email: string, password: string) =>
  keel.call('/api/v1/auth/sign-in', { key: null, json: { email, password } });

describe('sign-in throttling', () => {
  it('locks an account after five failures: 429 with Retry-After, even for the right password', async () => {
    for (let i = 0; i < 5; i++) expect((await signIn('ada@example.com', 'wrong')).status).toBe(401);
    const locked = await signIn('ada@example.com', 'right-password');
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThanOrEqual(59);
    expect((await locked.json()).error.code).toBe('rate_limited');
    // Another account is not affected.
    expect((await signIn('bob@example.com', 'right-password')).status).toBe(200);
    await keel.services.audit.flush();
    const { rows } = await keel.services.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM audit_log WHERE action = 'auth.sign_in.fail'",
    );
    expect(rows[0]!.n).toBe(5);
  });

  it('starts an account from zero after a successful sign-in', async () => {
    for (let i = 0; i < 4; i++) expect((await signIn('bob@example.com', 'wrong')).status).toBe(401);
    expect((await signIn('bob@example.com', 'right-password')).status).toBe(200);
    for (let i = 0; i < 4; i++) expect((await signIn('bob@example.com', 'wrong')).status).toBe(401);
    expect((await signIn('bob@example.com', 'right-password')).status).toBe(200);
  });
});

describe('SignInThrottle', () => {
  it('locks for growing intervals, per address as well, and shares its counts through the database', async () => {
    let now = Date.parse('2030-01-01T00:00:00Z');
    const options = { maxFailures: 3, maxAddressFailures: 4, baseLockMs: 60_000, now: () => now };
    const first = new SignInThrottle(keel.services.db, options);
    // A second replica: its own memory, the same database.
    const second = new SignInThrottle(keel.services.db, options);
    for (let i = 0; i < 3; i++) await first.recordSignInFailure('eve@example.com', null, 'password');
    await expect(second.check('eve@example.com', null)).rejects.toMatchObject({
      code: 'rate_limited',
      data: { retryAfterSeconds: 60 },
    });
    now += 61_000;
    await second.check('eve@example.com', null);
    await second.recordSignInFailure('eve@example.com', null, 'password');
    await expect(first.check('eve@example.com', null)).rejects.toMatchObject({
      data: { retryAfterSeconds: 120 },
    });

    // One address trying many accounts.
    for (let i = 0; i < 4; i++)
      await first.recordSignInFailure(`user${i}@example.com`, '203.0.113.9', 'unknown');
    await expect(second.check('someone@example.com', '203.0.113.9')).rejects.toMatchObject({
      code: 'rate_limited',
    });
    await second.check('someone@example.com', '198.51.100.1');
  });
});
