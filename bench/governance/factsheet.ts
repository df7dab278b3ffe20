/**
 * @module bench/governance/factsheet
 * Factsheet export time for a use case with 1,000 recorded events (Markdown, JSON, PDF; the
 * median of several exports each), beside the anchor of reading those same events from the audit
 * log alone; then `audit verify` over the chain governance wrote (records/s, fast pass and row
 * pass), beside a plain paged read of the same rows. A fresh in-memory Keel (PGlite) with the
 * echo provider. Prints a table, then ONE JSON line.
 *
 *   npx tsx bench/governance/factsheet.ts   (KEEL_BENCH_EVENTS=<n> for the 1,000; KEEL_BENCH_CHAIN=<n>
 *                                            for the 20,000 governance records verified)
 */
import type { Answers } from '../../src/api/governance-risk.js';
import { createTestKeel } from '../../src/testing/test-keel.js';

const EVENTS = Number(process.env.KEEL_BENCH_EVENTS ?? 1_000);
const CHAIN = Number(process.env.KEEL_BENCH_CHAIN ?? 20_000);
const REPEATS = Number(process.env.KEEL_BENCH_REPEATS ?? 7);
const log = (line: string) => process.stdout.write(`${line}\n`);

const answers: Answers = {
  purpose_description: '대출 심사 보조 / loan screening support',
  purpose_function: 'decision_support',
  prohibited_practices: ['none'],
  domain: ['credit_scoring'],
  affected_people: ['customers'],
  scale: 'under_1m',
  impact_severity: 'rights_or_livelihood',
  autonomy: 'human_review',
  reversibility: 'reversible_with_effort',
  data_categories: ['personal_data'],
  interaction: ['conversational'],
};

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function time(fn: () => Promise<unknown>): Promise<number> {
  await fn(); // warm
  const runs: number[] = [];
  for (let i = 0; i < REPEATS; i++) {
    const started = performance.now();
    await fn();
    runs.push(performance.now() - started);
  }
  return median(runs);
}

const keel = await createTestKeel();
const { services } = keel;
const projectId = services.installation.defaultProjectId;
const caller = { projectId, actor: 'bench', role: 'admin' as const };
try {
  await keel.call('/api/v1/prompts', {
    json: {
      name: 'loan-summary',
      template: {
        mode: 'freeform',
        text: 'Summarise {{text}}',
        model_id: 'echo:reverse',
        parameters: { temperature: 0 },
      },
    },
  });
  const useCase = await services.governance.inventory.createUseCase(caller, {
    name: 'loan screening',
    purpose: 'Summaries that support loan officers',
    tags: ['credit'],
    approach: { name: 'prompted', description: '', thresholds: { rougeL: { min: 0.3 } } },
  } as never);
  const track = (input: Record<string, unknown>) =>
    services.governance.trackAsset(caller, { use_case_id: useCase.id, ...input } as never);
  const template = await track({ kind: 'prompt_template', ref: 'loan-summary', version: 1 });
  await track({ kind: 'dataset', ref: 'loans-2026', metadata: { sha256: 'cd'.repeat(32) } });
  await track({ kind: 'evaluation_run', ref: 'eval-1', results: { metrics: { rougeL: 0.42 } } });
  const deployment = await track({ kind: 'deployment', ref: 'dep_loans' });
  await services.risk.assess(caller, { useCaseId: useCase.id, answers });

  // The recorded history: template versions, asset changes, deployment updates, monitor alerts.
  const base = await services.factsheets.build(projectId, useCase.id);
  const targets = [
    { type: 'template', id: template.source_id ?? template.id, action: 'template.version.create' },
    { type: 'gov_asset', id: template.id, action: 'governance.asset.change' },
    { type: 'deployment', id: deployment.source_id ?? 'dep_loans', action: 'deployment.update' },
    { type: 'monitor', id: 'mon_latency', action: 'monitor.alert' },
  ];
  for (let i = base.events.total; i < EVENTS; i++) {
    const target = targets[i % targets.length]!;
    services.audit.record({
      action: target.action,
      projectId,
      target: { type: target.type, id: target.id },
      after: { i },
      detail: { version: i, deployment: 'dep_loans' },
    });
  }
  await services.audit.flush();
  const sheet = await services.factsheets.build(projectId, useCase.id);
  if (sheet.events.total < EVENTS) throw new Error(`only ${sheet.events.total} events captured`);

  const exportMs: Record<string, number> = {};
  const sizes: Record<string, number> = {};
  for (const format of ['md', 'json', 'pdf'] as const) {
    let size = 0;
    exportMs[format] = await time(async () => {
      const result = await services.factsheets.export(caller, useCase.id, { format });
      size = typeof result.body === 'string' ? Buffer.byteLength(result.body) : result.body.byteLength;
    });
    sizes[format] = size;
  }
  const hangul = (await services.factsheets.export(caller, useCase.id, { format: 'pdf' })).hangul ?? false;
  // The anchor: reading the same events from the audit log, nothing else.
  const readMs = await time(async () => {
    let cursor: number | undefined;
    do {
      const page = await services.audit.query({ projectId, cursor, limit: 5_000 });
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
  });

  // Governance writes: a long chain of governance events, then verify it.
  const actions = [
    'governance.asset.transition',
    'governance.approval.decide',
    'governance.risk_assessment.complete',
  ];
  for (let i = 0; i < CHAIN; i++)
    services.audit.record({
      action: actions[i % actions.length]!,
      projectId,
      target: { type: 'gov_asset', id: `gas_${i % 97}` },
      after: { stage: i % 7, i },
      detail: { from: 'validate', to: 'approve', tier: 'high' },
    });
  await services.audit.flush();
  const fast = await services.audit.verify({ mode: 'fast' });
  const rows = await services.audit.verify({ mode: 'rows' });
  if (!fast.ok || !rows.ok) throw new Error('the chain did not verify');
  const readStarted = performance.now();
  let read = 0;
  let after = 0;
  for (;;) {
    const page = await services.db.query<{ seq: number }>(
      'SELECT seq, hash, prev_hash, detail FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT 10000',
      [after],
    );
    read += page.rows.length;
    if (page.rows.length < 10_000) break;
    after = Number(page.rows.at(-1)!.seq);
  }
  const readRate = read / ((performance.now() - readStarted) / 1000);
  const fastRate = fast.records / (fast.elapsedMs / 1000);
  const rowsRate = rows.records / (rows.elapsedMs / 1000);

  log(
    `Factsheet export, one use case with ${sheet.events.total} events (median of ${REPEATS}; PGlite in memory)`,
  );
  log('| what | ms | size | ÷ anchor |');
  log('|---|---|---|---|');
  log(`| read the events only (anchor) | ${readMs.toFixed(1)} | | 1.0 |`);
  for (const format of ['md', 'json', 'pdf'])
    log(
      `| export ${format}${format === 'pdf' ? (hangul ? ' (Hangul font)' : ' (no Hangul font: Helvetica)') : ''} | ${exportMs[format]!.toFixed(1)} | ${sizes[format]} B | ${(exportMs[format]! / readMs).toFixed(1)} |`,
    );
  log('');
  log(`audit verify over ${fast.records} records (${CHAIN} governance events written through the AuditLog)`);
  log('| pass | records/s | ÷ plain read |');
  log('|---|---|---|');
  log(`| plain paged read (anchor) | ${Math.round(readRate)} | 1.0 |`);
  log(
    `| verify, fast pass (in the database) | ${Math.round(fastRate)} | ${(fastRate / readRate).toFixed(2)} |`,
  );
  log(`| verify, row pass (node:crypto) | ${Math.round(rowsRate)} | ${(rowsRate / readRate).toFixed(2)} |`);
  log(
    JSON.stringify({
      bench: 'governance-factsheet',
      engine: 'pglite',
      events: sheet.events.total,
      repeats: REPEATS,
      export_ms: { md: exportMs.md, json: exportMs.json, pdf: exportMs.pdf },
      export_bytes: sizes,
      pdf_hangul_font: hangul,
      read_events_ms: readMs,
      verify: {
        records: fast.records,
        fast_records_per_s: Math.round(fastRate),
        rows_records_per_s: Math.round(rowsRate),
        plain_read_records_per_s: Math.round(readRate),
      },
    }),
  );
} finally {
  await keel.close();
}
