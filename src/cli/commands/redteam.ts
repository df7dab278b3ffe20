/**
 * @module cli/commands/redteam
 * `keel eval redteam --target <model|template:ref|collection:name|deployment:name> [--policy <name|none>]`: runs a
 * probe set through the target's guardrails and prints the report — attack success rate per category × language, block
 * rate, and which guardrail caught what. `--set bipia|llm-guard-injection|hatecheck|kocohub-hate`
 * picks a public set from the server's datasets folder; `--probes` lists every probe with the
 * guardrails that caught it, or that it got through; with `--datasets <dir>` the set is loaded
 * here and its probes are sent inline. With `--max-asr`, exits
 * 6 when the overall attack success rate is above it (for CI).
 */
import type { CreateRedTeamRun, ProbeResultJson, RedTeamRunJson, RedTeamTarget } from '../../api/red-team.js';
import { KeelError } from '../../core/errors.js';
import { BUILTIN_SET, loadProbeSet } from '../../evals/red-team/probe-sets.js';
import type { KeelClient } from '../../sdk/client.js';
import type { CommandHandler } from '../command.js';
import { withConnection } from '../connect.js';
import { numberOption } from '../number-option.js';
import { type CliIO, createProgress, printJson, printTable } from '../output.js';

/**
 * `template:<ref>` (or `prompt:<ref>`) is a Prompt Lab template, `collection:<name>` a RAG
 * collection, `deployment:<name>` a deployment (attacked through its serving path and policy);
 * anything else is a model id.
 */
export function parseTarget(value: string, options: Record<string, unknown>): RedTeamTarget {
  const deployment = /^deployment:(.+)$/.exec(value);
  if (deployment)
    return {
      type: 'deployment',
      deployment: deployment[1]!,
      ...(options.inputVariable ? { input_variable: String(options.inputVariable) } : {}),
      ...(options.contextVariable ? { context_variable: String(options.contextVariable) } : {}),
    };
  const collection = /^collection:(.+)$/.exec(value);
  if (collection)
    return {
      type: 'rag',
      collection: collection[1]!,
      ...(options.model ? { model: String(options.model) } : {}),
    };
  const match = /^(template|prompt):(.+)$/.exec(value);
  if (!match) {
    if (!value.includes(':'))
      throw new KeelError(
        'invalid_request',
        '--target is a model (provider:model) or template:<name[@version]>.',
        {
          issues: [
            {
              code: 'invalid_target',
              path: ['target'],
              message: 'e.g. ollama:granite3.3 or template:support-bot@2',
            },
          ],
        },
      );
    return { type: 'model', model: value };
  }
  return {
    type: 'template',
    prompt: match[2]!,
    ...(options.model ? { model: String(options.model) } : {}),
    ...(options.inputVariable ? { input_variable: String(options.inputVariable) } : {}),
    ...(options.contextVariable ? { context_variable: String(options.contextVariable) } : {}),
  };
}

const percent = (value: number | null) => (value === null ? '–' : `${(value * 100).toFixed(1)}%`);

export function printReport(io: CliIO, run: RedTeamRunJson): void {
  const report = run.report;
  if (!report) {
    io.stdout.write(`Run ${run.id}: ${run.status}${run.error ? ` (${run.error.message})` : ''}\n`);
    return;
  }
  printTable(
    io,
    report.by_category_language.map((row) => ({
      category: row.category,
      language: row.language,
      probes: row.probes,
      asr: percent(row.attack_success_rate),
      blocked: percent(row.block_rate),
      caught: percent(row.caught_rate),
      'not answered': row.refused ?? 0,
      errors: row.errors,
    })),
  );
  io.stdout.write('\n');
  printTable(
    io,
    report.by_language.map((row) => ({
      language: row.language,
      probes: row.probes,
      asr: percent(row.attack_success_rate),
      blocked: percent(row.block_rate),
      caught: percent(row.caught_rate),
    })),
  );
  if (report.caught_by.length) {
    io.stdout.write('\nCaught by\n');
    printTable(io, report.caught_by as unknown as Record<string, unknown>[]);
  }
  if (report.by_detector?.length) {
    io.stdout.write('\nBy detector (of the completed probes)\n');
    printTable(
      io,
      report.by_detector.map((row) => ({
        detector: row.detector,
        caught: row.probes,
        rate: percent(row.rate),
        blocked: row.blocked,
        input: row.input,
        output: row.output,
        passage: row.context ?? 0,
        'still succeeded': row.successes,
        'only flagged': row.flagged,
      })),
    );
  }
  const policy = run.policy.mode === 'named' ? run.policy.name : run.policy.mode;
  io.stdout.write(
    `\n${run.id}: ${report.overall.probes} probes, attack success ${percent(report.overall.attack_success_rate)}, blocked ${percent(report.overall.block_rate)}${report.overall.refused ? `, ${report.overall.refused} not answered (retrieval gave nothing to answer from)` : ''} (policy: ${policy})\n`,
  );
}

/** Which guardrails acted on a probe, or that it got through: `injection (input, block); pii (input, mask)`. */
export function caughtByText(result: ProbeResultJson): string {
  if (result.outcome === 'error') return `error: ${result.error?.code ?? 'failed'}`;
  const acted = result.caught_by.filter((entry) => entry.action !== 'flag');
  if (!acted.length) return 'got through';
  const seen = new Set<string>();
  return acted
    .map((entry) => `${entry.detector} (${entry.direction}, ${entry.action})`)
    .filter((text) => !seen.has(text) && seen.add(text))
    .join('; ');
}

/** Every probe's result, page by page (the API returns up to 1,000 at a time). */
async function allResults(client: KeelClient, id: string): Promise<ProbeResultJson[]> {
  const results: ProbeResultJson[] = [];
  for (;;) {
    const page = await client.redTeam.results(id, { limit: 1000, offset: results.length });
    results.push(...page.results);
    if (page.results.length < 1000) return results;
  }
}

export function printProbes(io: CliIO, results: readonly ProbeResultJson[]): void {
  io.stdout.write('\nPer probe\n');
  printTable(
    io,
    results.map((result) => ({
      probe: result.probe_id,
      category: result.category,
      language: result.language,
      outcome: result.outcome,
      attack: result.outcome === 'error' ? '–' : result.success ? 'succeeded' : 'failed',
      'caught by': caughtByText(result),
    })),
  );
}

export const redteamCommand: CommandHandler = async (context, _args, options) => {
  const io = context.io;
  if (!options.target)
    throw new KeelError('invalid_request', 'Name what to attack with --target.', {
      issues: [{ code: 'missing_target', path: ['target'], message: 'required' }],
    });
  const target = parseTarget(String(options.target), options);
  const setName = options.set ? String(options.set) : BUILTIN_SET;
  const maxAsr = numberOption(options.maxAsr, 'max-asr');
  const limit = numberOption(options.limit, 'limit');
  const policy = options.policy === undefined ? undefined : String(options.policy);
  const request: CreateRedTeamRun = {
    target,
    // A public set is read here and sent inline: the server need not have the datasets.
    ...(setName !== BUILTIN_SET && options.datasets
      ? { probes: await loadProbeSet(setName, String(options.datasets)) }
      : { probe_set: setName }),
    ...(options.category ? { categories: options.category as never } : {}),
    ...(options.language ? { languages: options.language as never } : {}),
    ...(limit !== undefined ? { limit } : {}),
    ...(policy !== undefined ? { policy: policy === 'none' ? null : policy } : {}),
  };
  return withConnection(context, async ({ client }) => {
    let run = await client.redTeam.create(request);
    const progress = createProgress(io, 'Probing', { total: run.probe_count });
    while (run.status === 'queued' || run.status === 'running') {
      await new Promise((resolve) => setTimeout(resolve, 250));
      run = await client.redTeam.get(run.id);
      progress.update(run.progress.done);
    }
    progress.stop(`${run.progress.done} of ${run.probe_count} probes (${run.status}).`);
    const probes = options.probes && run.status === 'succeeded' ? await allResults(client, run.id) : null;
    if (context.global.json) printJson(io, probes ? { ...run, results: probes } : run);
    else {
      printReport(io, run);
      if (probes) printProbes(io, probes);
    }
    if (run.status !== 'succeeded') return 1;
    const asr = run.report?.overall.attack_success_rate ?? 0;
    return maxAsr !== undefined && asr > maxAsr ? 6 : 0;
  });
};
