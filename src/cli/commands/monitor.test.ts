/**
 * `keel monitor …` against a running Keel (--url, --key): create, run, alerts, incidents, limits.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ListeningServer, listen } from '../../server/listen.js';
import { runKeelCli } from '../../testing/cli-io.js';
import { createTestKeel, type TestKeel } from '../../testing/test-keel.js';
import { parseThresholds } from './monitor.js';

let keel: TestKeel;
let server: ListeningServer;

beforeAll(async () => {
  keel = await createTestKeel();
  server = await listen(keel.app);
});
afterAll(async () => {
  await server?.close(100);
  await keel?.close();
});

const cli = (...args: string[]) =>
  runKeelCli({ url: server.url, key: keel.adminKey }, args, { env: { KEEL_LOG_LEVEL: 'silent' } });

describe('keel monitor', () => {
  it('parses thresholds and refuses malformed ones', () => {
    expect(parseThresholds('error_rate>0.1:critical, latency_p95_ms>=2000')).toEqual([
      { metric: 'error_rate', operator: '>', value: 0.1, severity: 'critical' },
      { metric: 'latency_p95_ms', operator: '>=', value: 2000, severity: 'warning' },
    ]);
    expect(() => parseThresholds('error_rate=0.1')).toThrow(/not metric<op>value/);
  });

  it('creates and runs a monitor, lists alerts, acknowledges and resolves the incident', async () => {
    const created = await cli(
      '--json',
      'monitor',
      'create',
      'volume',
      '--kind',
      'traffic',
      '--thresholds',
      'requests>=0:info',
    );
    expect(created.code).toBe(0);
    const monitor = JSON.parse(created.out) as { id: string };
    const ran = await cli('monitor', 'run', monitor.id);
    expect(ran.code).toBe(0);
    expect(ran.out).toMatch(/requests\s+0/);
    expect(ran.out).toMatch(/1 alert\(s\) raised/);
    const listed = await cli('monitor', 'list');
    expect(listed.out).toMatch(/volume\s+traffic/);
    const alerts = await cli('--json', 'monitor', 'alerts');
    const [alert] = JSON.parse(alerts.out) as { incident_id: string }[];
    const acknowledged = await cli('monitor', 'ack', alert!.incident_id, '--note', 'on it');
    expect(acknowledged.out).toBe(`Incident ${alert!.incident_id} is acknowledged.\n`);
    expect((await cli('monitor', 'resolve', alert!.incident_id)).code).toBe(0);
    const again = await cli('monitor', 'resolve', alert!.incident_id);
    expect(again.code).toBe(5);
    expect((await cli('monitor', 'incidents', '--status', 'resolved')).out).toMatch(/resolved\s+info/);
    expect((await cli('monitor', 'limits')).out).toBe('(none)\n');
  });
});
