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
import type { TemplateBody } from '../../api/prompts.js';
import { KeelError } from '../../core/errors.js';
import { aggregate, corpusScores, generationParameters, type ScoredItem } from '../../evals/index.js';
import type { Job, JobContext } from '../../jobs/index.js';
import type { PromptLab } from '../../prompts/index.js';
import type { LanguageModelPrompt } from '../../spec/language-model.js';
import { defaultFormats, instructionOf, withExamples, withFormat, withInstruction } from './candidates.js';
import { type ExampleCandidate, selectExamples } from './few-shot.js';
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

export class PromptSearch {
  readonly #deps: PromptSearchDeps;

  constructor(deps: PromptSearchDeps) {
    this.#deps = deps;
    deps.jobs.register<PromptJobPayload, PromptJobResult>(PROMPT_JOB, {
      maxAttempts: 1,
      run: (ctx) => this.#run(ctx),
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
    const trace: TraceEntry[] = [];
    const bodies = new Map<string, TemplateBody>();
    const plannedK = p.fewShot?.k ?? [3];
    const formats = p.formats ?? defaultFormats(loaded.labels);
    const proposals = p.proposeInstructions ?? 2;
    const planned = 1 + (p.instructions?.length ?? 0) + proposals + plannedK.length + formats.length;
    let stopped: 'done' | 'budget' = 'done';

    const report = (message: string) =>
      ctx.progress(trace.length, planned, message, {
        data: {
          trace: trace.map((t) => ({ id: t.id, kind: t.kind, score: t.score, status: t.status })),
          spent: { calls: budget.calls, tokens: budget.tokens },
        },
      });

    /** Scores a body on the dev items; undefined when the budget cannot pay for all of them. */
    const score = async (
      id: string,
      kind: TraceEntry['kind'],
      parent: string | null,
      detail: Record<string, unknown>,
      body: TemplateBody,
    ): Promise<TraceEntry | undefined> => {
      if (budget.left() < loaded.dev.length || !budget.canCall()) {
        stopped = 'budget';
        return undefined;
      }
      const before = { calls: budget.calls, tokens: budget.tokens };
      const items: ScoredItem[] = [];
      let complete = true;
      for (const item of loaded.dev) {
        if (!budget.canCall()) {
          complete = false;
          break;
        }
        const output = await this.#generate(caller, body, loaded.model, item.input, budget);
        items.push({ item, status: output === null ? 'failed' : 'succeeded', output, scores: {} });
      }
      const corpus = corpusScores([p.metric], items);
      const scored = items.map((entry) => ({
        status: entry.status,
        scores: corpus.perItem.get(entry.item.ordinal) ?? {},
      }));
      const agg = aggregate(p.metric, scored, corpus.details[p.metric], seed);
      const entry: TraceEntry = {
        id,
        kind,
        parent,
        detail,
        status: complete ? 'scored' : 'incomplete',
        score: complete ? (agg?.score ?? 0) : null,
        calls: budget.calls - before.calls,
        tokens: budget.tokens - before.tokens,
        failedItems: items.filter((i) => i.status === 'failed').length,
      };
      trace.push(entry);
      bodies.set(id, body);
      if (!complete) stopped = 'budget';
      evaluations.set(id, agg);
      await report(`${id}: ${p.metric} ${entry.score === null ? 'incomplete' : entry.score.toFixed(4)}`);
      return complete ? entry : undefined;
    };
    const evaluations = new Map<string, ReturnType<typeof aggregate>>();

    const base = loaded.template.template;
    const baseline = await score('baseline', 'baseline', null, {}, base);
    if (!baseline) {
      throw new KeelError('invalid_request', 'The budget ran out before the template was scored once.', {
        issues: [{ code: 'budget_exhausted', path: ['budget'], message: 'raise the calls or tokens' }],
      });
    }
    let best = baseline;
    const better = (entry: TraceEntry | undefined) =>
      entry !== undefined && entry.score !== null && entry.score > (best.score as number) ? entry : undefined;

    // 1. Instructions: a person's variants, then the model's rewrites of the current instruction.
    const instructions = [...(p.instructions ?? [])];
    const current = instructionOf(base) || loaded.template.description || loaded.template.title || '';
    for (let i = 0; i < proposals && stopped === 'done'; i++) {
      const proposed = await this.#propose(caller, loaded, current, seed + i, budget);
      if (proposed === undefined) {
        stopped = 'budget';
        break;
      }
      if (proposed && !instructions.includes(proposed)) instructions.push(proposed);
    }
    const fromInstruction = best;
    for (const [i, instruction] of instructions.entries()) {
      if (stopped !== 'done') break;
      const human = i < (p.instructions?.length ?? 0);
      const entry = await score(
        `instruction-${i + 1}`,
        'instruction',
        fromInstruction.id,
        { instruction, source: human ? 'person' : 'model' },
        withInstruction(bodies.get(fromInstruction.id)!, instruction),
      );
      best = better(entry) ?? best;
    }

    // 2. Few-shot examples from the train split, on top of the best instruction.
    const pool: ExampleCandidate[] = loaded.train
      .map((item) => ({ input: inputText(item), output: expected(item) ?? '', label: item.label }))
      .filter((e) => e.output !== '');
    const queries = loaded.dev.map(inputText);
    const fromShots = best;
    for (const k of plannedK) {
      if (stopped !== 'done' || pool.length === 0) break;
      const examples = selectExamples(pool, queries, { k, diversity: p.fewShot?.diversity });
      const entry = await score(
        `few-shot-${k}`,
        'few_shot',
        fromShots.id,
        { k, examples: examples.map((e) => ({ input: e.input, output: e.output })) },
        withExamples(bodies.get(fromShots.id)!, examples),
      );
      best = better(entry) ?? best;
    }

    // 3. Output-format constraints on top of the best so far.
    const fromFormat = best;
    for (const [i, format] of formats.entries()) {
      if (stopped !== 'done') break;
      const entry = await score(
        `format-${i + 1}`,
        'format',
        fromFormat.id,
        { format: format.text, ...(format.schema ? { schema: format.schema } : {}) },
        withFormat(bodies.get(fromFormat.id)!, format),
      );
      best = better(entry) ?? best;
    }

    ctx.signal.throwIfAborted();
    const improved = best.id !== baseline.id;
    const body = bodies.get(best.id)!;
    let savedVersion: number | null = null;
    if (improved) {
      // The only write, after the search: a failed or cancelled job saved nothing.
      const saved = await this.#deps.prompts.saveVersion(caller, loaded.template.name, {
        template: body,
        base_version: p.latestVersion ?? loaded.template.latest_version,
        message: `Prompt optimisation (job ${ctx.job.id}): ${p.metric} ${(baseline.score as number).toFixed(4)} → ${(best.score as number).toFixed(4)} on ${loaded.datasetName}@${loaded.version} (${loaded.dev.length} dev items); ${best.id}.`,
      });
      savedVersion = saved.version.version;
      this.#deps.audit.record({
        action: 'prompt.optimise',
        projectId,
        target: { type: 'prompt_template', id: loaded.template.name },
        detail: {
          job: ctx.job.id,
          base_version: loaded.template.version.version,
          version: savedVersion,
          metric: p.metric,
          baseline: baseline.score,
          score: best.score,
          calls: budget.calls,
          tokens: budget.tokens,
        },
      });
    }
    const evaluation = evaluations.get(best.id);
    await ctx.progress(
      trace.length,
      trace.length,
      improved ? `saved version ${savedVersion}` : 'baseline kept',
    );
    return {
      template: { name: loaded.template.name, baseVersion: loaded.template.version.version, savedVersion },
      model: loaded.model,
      metric: p.metric,
      dataset: {
        name: loaded.datasetName,
        version: loaded.version,
        dev: loaded.dev.length,
        train: loaded.train.length,
      },
      baseline: baseline.score as number,
      best: {
        id: best.id,
        score: best.score as number,
        ci: evaluation?.ci ? { low: evaluation.ci.low, high: evaluation.ci.high } : null,
        n: evaluation?.n ?? 0,
      },
      improved,
      spent: {
        calls: budget.calls,
        tokens: budget.tokens,
        proposalCalls: budget.calls - trace.reduce((s, t) => s + t.calls, 0),
      },
      budget: p.budget,
      stopped,
      trace,
      body,
    };
  }

  /** One dev item through a candidate: rendered by Prompt Lab, generated; null when the item fails. */
  async #generate(
    caller: { projectId: string; keyId: null; actor: string | null; signal: AbortSignal },
    body: TemplateBody,
    model: string,
    variables: Record<string, unknown>,
    budget: Budget,
  ): Promise<string | null> {
    let rendered: Awaited<ReturnType<PromptLab['render']>>;
    try {
      rendered = await this.#deps.prompts.render(caller, { template: body, variables, model });
    } catch (error) {
      if (error instanceof KeelError) return null;
      throw error;
    }
    const prompt: LanguageModelPrompt =
      rendered.prompt.type === 'text'
        ? { type: 'text', text: rendered.prompt.text }
        : { type: 'chat', messages: rendered.prompt.messages };
    return this.#call(caller, model, prompt, generationParameters(body.parameters), budget);
  }

  async #call(
    caller: { projectId: string; keyId: null; signal: AbortSignal },
    model: string,
    prompt: LanguageModelPrompt,
    parameters: ReturnType<typeof generationParameters>,
    budget: Budget,
  ): Promise<string | null> {
    budget.calls += 1;
    try {
      const outcome = await this.#deps.prompts.generation.generate(
        { model, prompt, parameters, abortSignal: caller.signal },
        { projectId: caller.projectId, keyId: caller.keyId, endpoint: 'tuning.prompt' },
      );
      budget.tokens += (outcome.usage.inputTokens ?? 0) + (outcome.usage.outputTokens ?? 0);
      return outcome.text;
    } catch (error) {
      caller.signal.throwIfAborted();
      if (error instanceof KeelError && error.status < 500) return null;
      throw error;
    }
  }

  /**
   * Asks the model to rewrite the instruction once: the rewrite, '' when it gave nothing usable,
   * undefined when the budget cannot pay for the call.
   */
  async #propose(
    caller: { projectId: string; keyId: null; signal: AbortSignal },
    loaded: Loaded,
    instruction: string,
    seed: number,
    budget: Budget,
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
    const output = await this.#call(
      caller,
      loaded.model,
      { type: 'text', text },
      { decodingMethod: 'sample', temperature: 0.8, randomSeed: seed, maxNewTokens: 80 },
      budget,
    );
    const line = (output ?? '')
      .split('\n')
      .map((l) => l.trim())
      .find((l) => l.length > 0);
    return line ? line.slice(0, 2000) : '';
  }
}
