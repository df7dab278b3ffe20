/**
 * @module tuning/prompt-optimisation/prompt-search
 * Prompt optimisation as a job (`tuning.prompt`): a template version, a labelled evaluation
 * dataset version, a metric to maximise, a budget in model calls and tokens, and a seed. The
 * search scores the template as it is (the baseline) on a dev split, then tries, each on top of the
 * best so far: instruction variants (written by a person, or proposed by the template's model),
 * few-shot examples chosen from the train split (similarity, diversity, label balance), and
 * output-format constraints. Every candidate is rendered by Prompt Lab and scored with the
 * evaluation module's metric code; the search stops when the budget cannot pay for the next one.
 * The winner is saved as a new template version only at the end, after the search succeeded, so
 * a failed or cancelled job saves nothing; the trace (every candidate, its score, calls and
 * tokens) is the job's result.
 */
import { FEW_SHOT_DEFAULT_DIVERSITY } from '../../api/prompts.js';
import { KeelError } from '../../core/errors.js';
import { metricInfo } from '../../evals/index.js';
import type { Job, JobContext } from '../../jobs/index.js';
import type { ExampleCandidate } from '../../prompts/index.js';
import { defaultFormats, instructionOf } from './candidates.js';
import {
  Budget,
  expected,
  inputText,
  type Loaded,
  loadSearch,
  PROMPT_JOB,
  type PromptJobPayload,
  type PromptJobResult,
  type PromptSearchDeps,
  type TraceEntry,
} from './prompt-job.js';
import { keepWinner } from './prompt-winner.js';
import { CandidateScorer, type Choice, choiceDetail, choiceKey, type Scored } from './score-candidate.js';

export class PromptSearch {
  readonly #deps: PromptSearchDeps;

  constructor(deps: PromptSearchDeps) {
    this.#deps = deps;
    deps.jobs.register<PromptJobPayload, PromptJobResult>(PROMPT_JOB, {
      // A job whose worker died searches again elsewhere (its budget is per attempt); one that
      // finished its search before dying returns what it recorded. Failures are shown at once.
      maxAttempts: 2,
      retriesFailures: () => false,
      // The search and what it saves are one step: recorded once they are done.
      run: (ctx) => ctx.step('search', () => this.#run(ctx)),
      describe: (p) => ({ template: p.template, dataset: p.dataset, metric: p.metric, budget: p.budget }),
    });
  }

  /** Checks the request against what exists (template, dataset, labels, metric, budget) and queues the job. */
  async start(
    projectId: string,
    payload: PromptJobPayload,
    createdBy?: string | null,
  ): Promise<Job<PromptJobPayload>> {
    const loaded = await loadSearch(this.#deps, projectId, payload);
    return this.#deps.jobs.enqueue({
      projectId,
      kind: PROMPT_JOB,
      payload: {
        ...payload,
        datasetVersion: loaded.version,
        latestVersion: loaded.template.latest_version,
      },
      createdBy: createdBy ?? null,
      total: 1,
    });
  }

  async #run(ctx: JobContext<PromptJobPayload>): Promise<PromptJobResult> {
    const p = ctx.payload;
    const projectId = ctx.job.projectId;
    const caller = { projectId, keyId: null, actor: ctx.job.createdBy ?? null, signal: ctx.signal };
    const loaded = await loadSearch(this.#deps, projectId, p);
    const budget = new Budget(p.budget);
    const seed = p.seed ?? 0;
    const diversity = p.fewShot?.diversity ?? FEW_SHOT_DEFAULT_DIVERSITY;
    const pool: ExampleCandidate[] = loaded.train
      .map((item) => ({ input: inputText(item), output: expected(item) ?? '', label: item.label }))
      .filter((e) => e.output !== '');
    const poolSource = `${loaded.datasetName}@${loaded.version} ${p.trainSplit ?? 'train'}`;
    const scorer = new CandidateScorer({
      prompts: this.#deps.prompts,
      base: loaded.template.template,
      model: loaded.model,
      dev: loaded.dev,
      metric: p.metric,
      seed,
      pool,
      poolSource,
      diversity,
      budget,
      caller,
    });
    const trace: TraceEntry[] = [];
    const scoredById = new Map<string, Scored>();
    const choices = new Map<string, Choice>();
    const tried = new Set<string>();
    const plannedK = pool.length ? (p.fewShot?.k ?? [3]) : [];
    const perInput = p.fewShot?.perInput ?? true;
    const formats = p.formats ?? defaultFormats(loaded.labels);
    const proposals = p.proposeInstructions ?? 2;
    const joint = p.joint ?? 3;
    const planned =
      1 +
      (p.instructions?.length ?? 0) +
      proposals +
      plannedK.length * (perInput ? 2 : 1) +
      formats.length +
      joint;
    let stopped: 'done' | 'budget' = 'done';
    // The held-out scoring's calls (the template and a winner) are kept aside from the start.
    budget.reserved = 2 * loaded.test.length;

    const report = (message: string) =>
      ctx.progress(trace.length, planned, message, {
        data: {
          trace: trace.map((t) => ({ id: t.id, kind: t.kind, score: t.score, status: t.status })),
          spent: { calls: budget.calls, tokens: budget.tokens },
        },
      });

    /** Scores a choice; undefined when the budget cannot pay for all the dev items. */
    const score = async (id: string, kind: TraceEntry['kind'], parent: string | null, choice: Choice) => {
      if (!scorer.canScore()) {
        stopped = 'budget';
        return undefined;
      }
      tried.add(choiceKey(choice));
      const detail = choiceDetail(choice, (k) => scorer.fixedSet(k));
      const scored = await scorer.score({ id, kind, parent, detail }, choice);
      trace.push(scored.entry);
      scoredById.set(id, scored);
      choices.set(id, choice);
      if (scored.entry.status === 'incomplete') stopped = 'budget';
      await report(
        `${id}: ${p.metric} ${scored.entry.score === null ? 'incomplete' : scored.entry.score.toFixed(4)}`,
      );
      return scored.entry.status === 'scored' ? scored.entry : undefined;
    };

    const none: Choice = { instruction: null, shots: null, format: null };
    const baseline = await score('baseline', 'baseline', null, none);
    if (!baseline) {
      throw new KeelError('invalid_request', 'The budget ran out before the template was scored once.', {
        issues: [{ code: 'budget_exhausted', path: ['budget'], message: 'raise the calls or tokens' }],
      });
    }
    let best = baseline;
    const better = (entry: TraceEntry | undefined) =>
      entry !== undefined && entry.score !== null && entry.score > (best.score as number) ? entry : undefined;
    /** Each dimension's options with the score they got in the greedy pass (null: the body's own). */
    const options: { [D in keyof Choice]: { value: Choice[D]; score: number }[] } = {
      instruction: [],
      shots: [],
      format: [],
    };
    /** One greedy step: each value on top of the best so far; the best of them (if better) stays. */
    const step = async <D extends keyof typeof options>(
      dimension: D,
      kind: TraceEntry['kind'],
      values: { id: string; value: NonNullable<Choice[D]> }[],
    ) => {
      const from = best;
      options[dimension].push({ value: null, score: from.score as number });
      for (const { id, value } of values) {
        if (stopped !== 'done') break;
        const entry = await score(id, kind, from.id, { ...choices.get(from.id)!, [dimension]: value });
        if (entry?.score != null)
          (options[dimension] as { value: Choice[D]; score: number }[]).push({ value, score: entry.score });
        best = better(entry) ?? best;
      }
    };

    // 1. Instructions: a person's variants, then the model's rewrites of the current instruction.
    const instructions: NonNullable<Choice['instruction']>[] = (p.instructions ?? []).map((text) => ({
      text,
      source: 'person',
    }));
    const current =
      instructionOf(loaded.template.template) || loaded.template.description || loaded.template.title || '';
    for (let i = 0; i < proposals && stopped === 'done'; i++) {
      const proposed = await this.#propose(scorer, loaded, budget, current, seed + i);
      if (proposed === undefined) {
        stopped = 'budget';
        break;
      }
      if (proposed && !instructions.some((x) => x.text === proposed))
        instructions.push({ text: proposed, source: 'model' });
    }
    await step(
      'instruction',
      'instruction',
      instructions.map((value, i) => ({ id: `instruction-${i + 1}`, value })),
    );
    // 2. Few-shot examples from the train split: one set for all inputs, and retrieved per input.
    await step(
      'shots',
      'few_shot',
      plannedK.flatMap((k) => [
        { id: `few-shot-${k}`, value: { k, perInput: false } },
        ...(perInput ? [{ id: `few-shot-${k}-per-input`, value: { k, perInput: true } }] : []),
      ]),
    );
    // 3. Output-format constraints.
    await step(
      'format',
      'format',
      formats.map((value, i) => ({ id: `format-${i + 1}`, value })),
    );
    // 4. Joint: combinations of the dimensions' best options the greedy pass did not try (an
    // instruction that helps only with examples, say), best-scoring options first.
    const top = <T>(list: { value: T; score: number }[]) =>
      [...list].sort((a, b) => b.score - a.score).slice(0, 2);
    const combos = top(options.instruction)
      .flatMap((i) => top(options.shots).flatMap((s) => top(options.format).map((f) => ({ i, s, f }))))
      .map(({ i, s, f }) => ({
        choice: { instruction: i.value, shots: s.value, format: f.value } as Choice,
        rank: i.score + s.score + f.score,
      }))
      .filter((c) => !tried.has(choiceKey(c.choice)))
      .sort((a, b) => b.rank - a.rank)
      .slice(0, joint);
    const perfect = metricInfo(p.metric)?.range[1] ?? 1;
    for (const [n, combo] of combos.entries()) {
      if (stopped !== 'done' || (best.score as number) >= perfect) break;
      best = better(await score(`joint-${n + 1}`, 'joint', best.id, combo.choice)) ?? best;
    }

    ctx.signal.throwIfAborted();
    const winner = choices.get(best.id)!;
    const searchCalls = budget.calls;
    const heldOut = await this.#heldOut(scorer, budget, loaded, {
      baseline: { choice: none, scored: scoredById.get(baseline.id)! },
      best: { choice: winner, scored: scoredById.get(best.id)! },
    });
    const shots = winner.shots;
    const retrieval = shots?.perInput ? { k: shots.k, diversity, pool: poolSource } : null;
    const kept = await keepWinner(this.#deps, { caller, jobId: ctx.job.id }, loaded, p, {
      baseline: scoredById.get(baseline.id)!,
      best: scoredById.get(best.id)!,
      body: scorer.bodyFor(winner),
      retrieval,
      spent: { calls: budget.calls, tokens: budget.tokens },
      evaluated: heldOut?.evaluated,
    });
    const improved = best.id !== baseline.id;
    const bestScored = scoredById.get(best.id)!;
    await ctx.progress(
      trace.length,
      trace.length,
      improved ? `saved version ${kept.savedVersion}` : 'baseline kept',
    );
    return {
      template: {
        name: loaded.template.name,
        baseVersion: loaded.template.version.version,
        savedVersion: kept.savedVersion,
      },
      model: loaded.model,
      metric: p.metric,
      dataset: {
        name: loaded.datasetName,
        version: loaded.version,
        dev: loaded.dev.length,
        train: loaded.train.length,
      },
      baseline: baseline.score as number,
      best: { id: best.id, score: best.score as number, ci: bestScored.ci, n: bestScored.n },
      improved,
      spent: {
        calls: budget.calls,
        tokens: budget.tokens,
        proposalCalls: searchCalls - trace.reduce((s, t) => s + t.calls, 0),
      },
      budget: p.budget,
      stopped,
      trace,
      body: scorer.bodyFor(winner),
      retrieval,
      evaluations: {
        ...kept.runs,
        compare: `/api/v1/evaluations/compare?a=${kept.runs.baseline}&b=${kept.runs.winner}`,
        split: heldOut?.evaluated?.split ?? loaded.dev[0]?.split ?? 'dev',
        heldOut: heldOut?.scores ?? null,
      },
      governanceAssetId: kept.assetId,
    };
  }

  /**
   * Scores the untuned template and the winner on the held-out items with the calls kept aside;
   * their runs are recorded from these when both complete (else from the dev scoring).
   */
  async #heldOut(
    scorer: CandidateScorer,
    budget: Budget,
    loaded: Loaded,
    pair: Record<'baseline' | 'best', { choice: Choice; scored: Scored }>,
  ) {
    if (loaded.test.length === 0) return undefined;
    budget.reserved = 0;
    const split = loaded.test[0]!.split ?? 'test';
    const on = (which: 'baseline' | 'best') => {
      const { entry } = pair[which].scored;
      return scorer.score(
        { id: `${entry.id}@${split}`, kind: entry.kind, parent: null, detail: {} },
        pair[which].choice,
        loaded.test,
      );
    };
    const baseline = await on('baseline');
    const best = pair.best.scored === pair.baseline.scored ? baseline : await on('best');
    const complete = baseline.entry.status === 'scored' && best.entry.status === 'scored';
    return {
      scores: { baseline: baseline.entry.score, winner: best.entry.score },
      evaluated: complete ? { baseline, best, split } : undefined,
    };
  }

  /**
   * Asks the model to rewrite the instruction once: the rewrite, '' when it gave nothing usable,
   * undefined when the budget cannot pay for the call.
   */
  async #propose(
    scorer: CandidateScorer,
    loaded: Loaded,
    budget: Budget,
    instruction: string,
    seed: number,
  ): Promise<string | undefined> {
    // Keep enough calls to score what is proposed.
    if (!budget.canCall() || budget.left() <= loaded.dev.length) return undefined;
    const task = loaded.labels.length
      ? `The task labels each input as one of: ${loaded.labels.slice(0, 20).join(', ')}.`
      : 'The task writes an output for each input.';
    const sample = loaded.train[0] ?? loaded.dev[0];
    const text = [
      'Rewrite the instruction below so that a language model follows it more accurately. Keep the task the same.',
      task,
      sample ? `Example input: ${inputText(sample).slice(0, 500)}` : '',
      `Instruction: ${instruction || '(none)'}`,
      'Rewritten instruction:',
    ]
      .filter(Boolean)
      .join('\n');
    const outcome = await scorer.call(
      { type: 'text', text },
      { decodingMethod: 'sample', temperature: 0.8, randomSeed: seed, maxNewTokens: 80 },
    );
    const line = (outcome instanceof KeelError ? '' : outcome.output)
      .split('\n')
      .map((l) => l.trim())
      .find((l) => l.length > 0);
    return line ? line.slice(0, 2000) : '';
  }
}
