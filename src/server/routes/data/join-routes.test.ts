import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataJoinKeySchema } from '../../../api/data.js';
import { sdkClient } from '../../../testing/sdk.js';
import { createTestKeel, type TestKeel } from '../../../testing/test-keel.js';

const rows = (header: string, count: number, row: (index: number) => string) =>
  `${header}\n${Array.from({ length: count }, (_, index) => row(index + 1)).join('\n')}\n`;

describe('/api/v1/data/joins', () => {
  let keel: TestKeel;

  async function keyFor(role: string, project?: string): Promise<string> {
    const response = await keel.call('/api/v1/keys', {
      json: { name: `${role}-${Math.random()}`, role },
      ...(project ? { headers: { 'x-keel-project': project } } : {}),
    });
    return ((await response.json()) as { key: string }).key;
  }

  beforeAll(async () => {
    keel = await createTestKeel();
    const admin = sdkClient(keel, keel.adminKey);
    await admin.data.upload({ name: 'cars.csv', data: rows('id,make', 12, (i) => `${i},make ${i % 3}`) });
    await admin.data.upload({
      name: 'sales.csv',
      data: rows('id,car_id,amount', 40, (i) => `${i},${(i % 12) + 1},${i * 10}`),
    });
  });
  afterAll(async () => {
    await keel.close();
  });

  it('discovers, lists and decides join keys; viewers read only; other projects see none', async () => {
    const viewer = await keyFor('viewer');
    expect((await keel.call('/api/v1/data/joins/discover', { method: 'POST', key: viewer })).status).toBe(
      403,
    );

    const discovered = await keel.call('/api/v1/data/joins/discover', { method: 'POST' });
    expect(discovered.status).toBe(200);
    const { joins } = (await discovered.json()) as { joins: unknown[] };
    for (const join of joins) dataJoinKeySchema.parse(join);
    const car = joins
      .map((join) => dataJoinKeySchema.parse(join))
      .find((join) => join.from_column === 'car_id');
    expect(car).toMatchObject({
      from_table: 'sales',
      to_table: 'cars',
      to_column: 'id',
      status: 'proposed',
      evidence: { containment: 1, name_rule: 'names_table', type_family: 'integer' },
    });

    const listed = (await (await keel.call('/api/v1/data/joins', { key: viewer })).json()) as {
      joins: Array<{ id: string }>;
    };
    expect(listed.joins.map((join) => join.id)).toContain(car!.id);
    expect(
      (
        await keel.call(`/api/v1/data/joins/${car!.id}`, {
          method: 'PATCH',
          key: viewer,
          json: { status: 'accepted' },
        })
      ).status,
    ).toBe(403);

    const decided = await keel.call(`/api/v1/data/joins/${car!.id}`, {
      method: 'PATCH',
      json: { status: 'accepted' },
    });
    expect(decided.status).toBe(200);
    expect(dataJoinKeySchema.parse(await decided.json())).toMatchObject({ status: 'accepted' });
    await keel.services.audit.flush();
    const audit = await keel.services.db.query<{ action: string }>(
      `SELECT action FROM audit_log WHERE action = 'data.joins.decide'`,
    );
    expect(audit.rows.length).toBeGreaterThan(0);

    const bad = await keel.call(`/api/v1/data/joins/${car!.id}`, {
      method: 'PATCH',
      json: { status: 'maybe' },
    });
    expect(bad.status).toBe(400);
    const missing = await keel.call('/api/v1/data/joins/djoin_nope', {
      method: 'PATCH',
      json: { status: 'rejected' },
    });
    expect(missing.status).toBe(404);
    const body = (await missing.json()) as { error: { issues: Array<{ code: string }> } };
    expect(body.error.issues[0]?.code).toBe('unknown_join_key');

    const project = (await (
      await keel.call('/api/v1/projects', { json: { name: 'joins-other' } })
    ).json()) as {
      id: string;
    };
    const outsider = await keyFor('admin', project.id);
    const theirs = (await (await keel.call('/api/v1/data/joins', { key: outsider })).json()) as {
      joins: unknown[];
    };
    expect(theirs.joins).toEqual([]);
    expect(
      (
        await keel.call(`/api/v1/data/joins/${car!.id}`, {
          method: 'PATCH',
          key: outsider,
          json: { status: 'rejected' },
        })
      ).status,
    ).toBe(404);
  });
});
