/**
 * @module bench/deployments/drift
 * Drift detection time, end to end, in real time: how long after the language mix of a
 * deployment's traffic shifts does Keel notice?
 *
 * - Keel in this process (embedded PGlite, its scheduler on: a tick every 15 s), a fake OpenAI
 *   upstream in its own process; a template deployed on a development space.
 * - Traffic over HTTP (`/ml/v1/deployments/{name}/text/generation`, `prompt_variables`) at a
 *   steady rate: English only for the baseline, then from one moment on 60% Korean.
 * - Two drift monitors on the deployment, the baseline pinned to the English period, a trailing
 *   window, alert when the language PSI exceeds 0.25:
 *   - "on demand": run every second by this script (`monitoring.run`) — the statistics' own delay
 *     (the request log's batching, the window filling with shifted calls);
 *   - "scheduled": left to Keel's scheduler (interval 10 s, the shortest) — the alert as an
 *     operator gets it: the statistics' delay plus the tick, the job queue and the run.
 * - Reported: seconds from the first shifted call to the first run over the threshold and to
 *   the scheduled monitor's alert, the PSI then, the share of Korean in the window, and the
 *   machine's load average (shared machines: read the figures with it).
 *
 * Prints a table, then ONE JSON line.   npx tsx bench/deployments/drift.ts [--quick]
 */
import os from 'node:os';
import { Pool } from 'undici';
import { benchKey as key, serveOnFakeUpstream } from './serve.js';

const quick = process.argv.includes('--quick');
/** English-only traffic before the shift, seconds. */
const baselineSeconds = quick ? 20 : 60;
/** The monitors' trailing window, seconds. */
const windowSeconds = quick ? 30 : 60;
/** Calls per second, both phases. */
const rate = 10;
/** Share of Korean calls after the shift. */
const shiftShare = 0.6;
const threshold = 0.25;
/** Give up this long after the shift (the scheduler ticks every 15 s). */
const timeoutSeconds = windowSeconds + 60;
const log = (line: string) => process.stdout.write(`${line}\n`);
const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const english = [
  'what is the weather like today in the city centre',
  'summarise this contract for the finance team',
  'how do I reset my password on the portal',
  'list the open invoices from last quarter',
];
const korean = [
  '오늘 서울 도심 날씨는 어떤가요',
  '이 계약서를 재무팀을 위해 요약해 주세요',
  '포털에서 비밀번호는 어떻게 재설정하나요',
  '지난 분기의 미결 송장을 보여 주세요',
];

const loadBefore = os.loadavg();
const server = await serveOnFakeUpstream('drift');
const pool = new Pool(server.url, { connections: 4 });
try {
  const { services } = server;
  const projectId = services.installation.defaultProjectId;
  const caller = { projectId, keyId: null, actor: 'bench', role: 'admin' as const };
  await services.prompts.create(caller, {
    name: 'helpdesk',
    template: { mode: 'freeform', text: 'Answer the user: {{question}}', model_id: 'mock:fake-model' },
  });
  const deployment = await services.deployments.create(caller, {
    name: 'helpdesk',
    servingName: 'bench-drift',
    asset: { type: 'prompt_template', ref: 'helpdesk@1' },
  });

  // Steady traffic: one call every 1/rate s, each awaited on its own (a slow call does not slow the rate).
  let shifted = false;
  let sent = 0;
  let failed = 0;
  let stop = false;
  const inFlight = new Set<Promise<void>>();
  const call = (question: string) => {
    const done = pool
      .request({
        method: 'POST',
        path: '/ml/v1/deployments/bench-drift/text/generation',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body: JSON.stringify({ parameters: { prompt_variables: { question } } }),
      })
      .then(async (response) => {
        await response.body.text();
        if (response.statusCode !== 200) failed++;
      })
      .catch(() => {
        failed++;
      })
      .finally(() => inFlight.delete(done));
    inFlight.add(done);
  };
  const traffic = (async () => {
    const started = performance.now();
    for (let n = 0; !stop; n++) {
      const wait = started + (n * 1000) / rate - performance.now();
      if (wait > 0) await sleep(wait);
      // After the shift, 60% Korean: 3 of every 5 calls.
      const ko = shifted && n % 5 < shiftShare * 5;
      call(ko ? korean[n % korean.length]! : english[n % english.length]!);
      sent++;
    }
  })();

  const baselineFrom = new Date();
  await sleep(baselineSeconds * 1000);
  const baselineTo = new Date();
  const monitorConfig = {
    windowSeconds,
    baselineFrom: baselineFrom.toISOString(),
    baselineTo: baselineTo.toISOString(),
  };
  const thresholds = [
    { metric: 'language_psi', operator: '>' as const, value: threshold, severity: 'warning' as const },
  ];
  const onDemand = await services.monitoring.monitors.create(projectId, null, {
    name: 'drift on demand',
    kind: 'drift',
    deploymentId: deployment.id,
    config: monitorConfig,
    thresholds,
    enabled: false,
  });
  const scheduled = await services.monitoring.monitors.create(projectId, null, {
    name: 'drift scheduled',
    kind: 'drift',
    deploymentId: deployment.id,
    intervalSeconds: 10,
    config: monitorConfig,
    thresholds,
  });
  shifted = true;
  const shiftAt = performance.now();
  const shiftWall = Date.now();
  const sentAtShift = sent;

  let statsDetected: { seconds: number; psi: number; koShare: number | null } | null = null;
  let alerted: { seconds: number; value: number } | null = null;
  const runMs: number[] = [];
  const shares = (metrics: Record<string, unknown>) => {
    const mix = metrics.language_mix as Record<string, number> | undefined;
    return mix && typeof mix.ko === 'number' ? round(mix.ko, 3) : null;
  };
  while ((!statsDetected || !alerted) && performance.now() - shiftAt < timeoutSeconds * 1000) {
    const tickStarted = performance.now();
    if (!statsDetected) {
      const run = await services.monitoring.run(projectId, onDemand.monitor.id);
      runMs.push(performance.now() - tickStarted);
      const psi = run.result.metrics.language_psi;
      if (typeof psi === 'number' && psi > threshold)
        statsDetected = {
          seconds: round((performance.now() - shiftAt) / 1000),
          psi: round(psi, 3),
          koShare: shares(run.result.metrics),
        };
    }
    if (!alerted) {
      const [alert] = await services.alerts.list(projectId, { monitorId: scheduled.monitor.id, limit: 1 });
      if (alert)
        alerted = {
          seconds: round((alert.createdAt.getTime() - shiftWall) / 1000),
          value: round(alert.value, 3),
        };
    }
    await sleep(Math.max(0, 1000 - (performance.now() - tickStarted)));
  }
  stop = true;
  await traffic;
  await Promise.all([...inFlight]);
  const loadAfter = os.loadavg();
  runMs.sort((a, b) => a - b);
  const runP50 = runMs[Math.floor(runMs.length / 2)] ?? Number.NaN;
  const load = `${loadBefore[0]!.toFixed(1)} → ${loadAfter[0]!.toFixed(1)}`;

  log('');
  log(
    `Drift detection, real time: ${rate} calls/s over HTTP, ${baselineSeconds} s English baseline, then ${shiftShare * 100}% Korean; window ${windowSeconds} s; alert at language PSI > ${threshold}. Load average (1 min) ${load} on ${os.cpus().length} cores.`,
  );
  log('');
  log('| detection | seconds after the shift | PSI then | Korean share of the window | note |');
  log('|---|---|---|---|---|');
  log(
    `| monitor run every second (statistics alone) | ${statsDetected?.seconds ?? 'not detected'} | ${statsDetected?.psi ?? '-'} | ${statsDetected?.koShare ?? '-'} | one run p50 ${round(runP50, 1)} ms |`,
  );
  log(
    `| scheduled monitor's alert (interval 10 s, tick 15 s) | ${alerted?.seconds ?? 'not alerted'} | ${alerted?.value ?? '-'} | - | what an operator sees |`,
  );
  log(`| calls sent / failed | ${sent} / ${failed} | | | ${sent - sentAtShift} after the shift |`);
  log('');
  log(
    JSON.stringify({
      bench: 'deployments-drift',
      quick,
      rate_per_s: rate,
      baseline_s: baselineSeconds,
      window_s: windowSeconds,
      shift_share_ko: shiftShare,
      threshold_psi: threshold,
      detected_by_run_s: statsDetected?.seconds ?? null,
      psi_at_detection: statsDetected?.psi ?? null,
      ko_share_at_detection: statsDetected?.koShare ?? null,
      alert_scheduled_s: alerted?.seconds ?? null,
      alert_value: alerted?.value ?? null,
      monitor_run_p50_ms: round(runP50, 1),
      calls: sent,
      failed,
      load_avg_1m: { before: round(loadBefore[0]!), after: round(loadAfter[0]!) },
      cores: os.cpus().length,
    }),
  );
} finally {
  await pool.close();
  await server.close();
}
