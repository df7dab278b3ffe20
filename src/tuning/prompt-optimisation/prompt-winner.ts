/**
 * @module tuning/prompt-optimisation/prompt-winner
 * What a finished search leaves behind, in order: the untuned template's and the winner's dev
 * scoring stored as evaluation runs (through the evaluation module's recorder, on the dataset
 * version and items the search used, so the two compare item by item), the winner saved as a new
 * template version whose message names its run (a winner that retrieves its examples per input
 * keeps its train pool and settings as the version's `few_shot`, so Prompt Lab serves what
 * scored), and — when asked — that version and its run registered in a governance use case with
 * the search's lineage (it then needs approval before production, like any tracked template).
 * The runs reuse the search's outputs: no extra calls.
 */
import type { TemplateBody } from '../../api/prompts.js';
import { KeelError } from '../../core/errors.js';
import type { RecordedItemV1 } from '../../spec/evaluation-recorder.js';
import type { Loaded, PromptJobPayload, PromptSearchDeps } from './prompt-job.js';
import type { Caller, ItemOutcome, Scored } from './score-candidate.js';

export interface Winner {
  baseline: Scored;
  best: Scored;
  body: TemplateBody;
  /** Set when the winner retrieves its examples per input. */
  retrieval: { k: number; diversity: number; pool: string } | null;
  spent: { calls: number; tokens: number };
  /** The untuned template and the winner scored on a held-out split: their runs are recorded from these. */
  evaluated?: { baseline: Scored; best: Scored; split: string } | undefined;
}

const recorded = (outcomes: readonly ItemOutcome[]): RecordedItemV1[] =>
  outcomes.map((o) => ({
    input: o.item.input,
    ordinal: o.item.ordinal,
    output: o.output,
    error: o.error,
    latencyMs: o.latencyMs,
    inputTokens: o.inputTokens,
    outputTokens: o.outputTokens,
  }));

/** Lineage as governance metadata (flat strings and numbers). */
export function promptLineage(
  loaded: Loaded,
  p: PromptJobPayload,
  w: Winner,
  runs: { baseline: string; winner: string },
  job: string,
): Record<string, string | number | boolean> {
  return {
    method: 'prompt-optimisation',
    job,
    template: loaded.template.name,
    base_version: loaded.template.version.version,
    base_model: loaded.model,
    dataset: loaded.datasetName,
    dataset_version: loaded.version,
    dataset_sha256: loaded.contentHash,
    dev_items: loaded.dev.length,
    train_items: loaded.train.length,
    metric: p.metric,
    baseline_score: Number((w.baseline.entry.score ?? 0).toFixed(4)),
    score: Number((w.best.entry.score ?? 0).toFixed(4)),
    winner: w.best.entry.id,
    seed: p.seed ?? 0,
    search: JSON.stringify({
      instructions: p.instructions?.length ?? 0,
      propose_instructions: p.proposeInstructions ?? 2,
      few_shot: p.fewShot ?? { k: [3] },
      formats: p.formats?.length ?? null,
      joint: p.joint ?? 3,
      dev_size: p.devSize ?? 20,
    }),
    budget: JSON.stringify(p.budget),
    spent_calls: w.spent.calls,
    spent_tokens: w.spent.tokens,
    retrieval: w.retrieval ? JSON.stringify(w.retrieval) : '',
    baseline_run: runs.baseline,
    evaluation_run: runs.winner,
    evaluation_split: w.evaluated?.split ?? 'dev',
    ...(w.evaluated
      ? {
          held_out_baseline: Number((w.evaluated.baseline.entry.score ?? 0).toFixed(4)),
          held_out_score: Number((w.evaluated.best.entry.score ?? 0).toFixed(4)),
        }
      : {}),
  };
}

/** Records the runs, saves the winner (when it beat the baseline) and registers it; see the module comment. */
export async function keepWinner(
  deps: PromptSearchDeps,
  ctx: { caller: Caller; jobId: string },
  loaded: Loaded,
  p: PromptJobPayload,
  w: Winner,
): Promise<{
  savedVersion: number | null;
  runs: { baseline: string; winner: string };
  assetId: string | null;
}> {
  const { caller, jobId } = ctx;
  const name = loaded.template.name;
  const improved = w.best !== w.baseline;
  const base = p.latestVersion ?? loaded.template.latest_version;
  const record = (cell: 'baseline' | 'winner', version: number, scored: Scored) =>
    deps.evals.recorder.record({
      projectId: caller.projectId,
      actor: caller.actor,
      name: `${name}@${version} on ${loaded.datasetName}@${loaded.version} (prompt optimisation ${jobId}, ${cell})`,
      source: { kind: 'tuning.prompt', id: jobId, cell },
      target: {
        kind: 'template',
        prompt: `${name}@${version}`,
        model: loaded.model,
        ...(cell === 'winner' && w.retrieval ? { few_shot_per_input: w.retrieval } : {}),
      },
      dataset: { name: loaded.datasetName, version: loaded.version },
      metrics: [p.metric, 'tokens', 'latency'],
      thresholds: p.thresholds,
      items: recorded(scored.outcomes),
    });
  // A version saved meanwhile fails the job before anything is recorded (saving re-checks it).
  if (improved) {
    const latest = (await deps.prompts.get(caller.projectId, name)).latest_version;
    if (latest !== base)
      throw new KeelError(
        'conflict',
        `"${name}" has changed since version ${base}: the latest is ${latest}. Run the optimisation again.`,
        { issues: [{ code: 'stale_base_version', path: ['template'], message: `latest is ${latest}` }] },
      );
  }
  const evaluated = w.evaluated ?? { baseline: w.baseline, best: w.best };
  const baselineRun = await record('baseline', loaded.template.version.version, evaluated.baseline);
  // The winner is saved on the latest version (or not at all: a conflict fails the job), so its
  // number is known before it is saved and its run can be named in the version's message.
  const winnerRun = improved ? await record('winner', base + 1, evaluated.best) : baselineRun;
  const runs = { baseline: baselineRun.id, winner: winnerRun.id };
  if (!improved) return { savedVersion: null, runs, assetId: null };

  ctx.caller.signal.throwIfAborted();
  const score = (s: Scored) => (s.entry.score ?? 0).toFixed(4);
  const saved = await deps.prompts.saveVersion(caller, name, {
    template: w.body,
    base_version: base,
    message: `Prompt optimisation (job ${jobId}): ${p.metric} ${score(w.baseline)} → ${score(w.best)} on ${loaded.datasetName}@${loaded.version} (${loaded.dev.length} dev items); ${w.best.entry.id}; evaluation run ${runs.winner} (baseline ${runs.baseline})${w.evaluated ? ` on held-out split ${w.evaluated.split}: ${score(w.evaluated.baseline)} → ${score(w.evaluated.best)}` : ''}.${w.retrieval ? ` Examples retrieved per input (k ${w.retrieval.k}) from ${w.retrieval.pool}: the version's few-shot pool of ${w.body.few_shot?.examples.length ?? 0}.` : ''}`,
  });
  const savedVersion = saved.version.version;
  let assetId: string | null = null;
  if (p.governance && deps.governance) {
    const metadata = promptLineage(loaded, p, w, runs, jobId);
    const track = {
      projectId: caller.projectId,
      actor: caller.actor ?? 'tuning',
      useCaseId: p.governance.useCaseId,
      metadata,
    };
    assetId = (
      await deps.governance.track({
        ...track,
        kind: 'prompt_template',
        ref: name,
        version: savedVersion,
        name: `${name}@${savedVersion} (prompt optimisation)`,
      })
    ).id;
    await deps.governance.track({
      ...track,
      kind: 'evaluation_run',
      ref: runs.winner,
      name: `${name}@${savedVersion} ${p.metric} on ${loaded.datasetName}@${loaded.version}`,
    });
  }
  deps.audit.record({
    action: 'prompt.optimise',
    projectId: caller.projectId,
    target: { type: 'prompt_template', id: name },
    detail: {
      job: jobId,
      base_version: loaded.template.version.version,
      version: savedVersion,
      metric: p.metric,
      baseline: w.baseline.entry.score,
      score: w.best.entry.score,
      calls: w.spent.calls,
      tokens: w.spent.tokens,
      baseline_run: runs.baseline,
      winner_run: runs.winner,
      ...(assetId ? { asset: assetId } : {}),
    },
  });
  return { savedVersion, runs, assetId };
}
