/**
 * @module tuning/prompt-optimisation/score-candidate
 * A search candidate as a choice per dimension (instruction, few-shot examples fixed or retrieved
 * per input, output format) over the template's body, and the scorer that runs it on the dev items:
 * each item rendered by Prompt Lab, generated under the call-and-token budget, and scored with the
 * evaluation module's metric code. Examples retrieved per input are a `few_shot` pool on the body
 * (the train items that fit one), so Prompt Lab picks each item's examples when it renders it —
 * the body saved for a winner renders exactly what was scored.
 * The scorer keeps every candidate's per-item outputs, so the baseline's and the winner's can be
 * stored as evaluation runs without calling the model again.
 */
import type { FewShotExample, FewShotPool, TemplateBody } from '../../api/prompts.js';
import { KeelError } from '../../core/errors.js';
import {
  aggregate,
  corpusScores,
  generationParameters,
  type ScoredItem,
  type StoredItem,
} from '../../evals/index.js';
import { type ExampleCandidate, ExampleIndex, fitPool, type PromptLab } from '../../prompts/index.js';
import type { LanguageModelPrompt } from '../../spec/language-model.js';
import { type FormatConstraint, withExamples, withFormat, withInstruction } from './candidates.js';
import { type Budget, inputText, type TraceEntry } from './prompt-job.js';

export interface Shots {
  k: number;
  /** Retrieved for each input (true) or one set for every input. */
  perInput: boolean;
}

/** What a candidate changes on the template's body; null keeps the body's own. */
export interface Choice {
  instruction: { text: string; source: 'person' | 'model' } | null;
  shots: Shots | null;
  format: FormatConstraint | null;
}

export const choiceKey = (c: Choice) =>
  JSON.stringify([c.instruction?.text ?? null, c.shots, c.format?.text ?? null]);

/** What changed against a parent, for the trace. */
export function choiceDetail(
  c: Choice,
  fixedSet: (k: number) => ExampleCandidate[],
): Record<string, unknown> {
  return {
    ...(c.instruction ? { instruction: c.instruction.text, source: c.instruction.source } : {}),
    ...(c.shots
      ? {
          k: c.shots.k,
          per_input: c.shots.perInput,
          ...(c.shots.perInput
            ? {}
            : { examples: fixedSet(c.shots.k).map((e) => ({ input: e.input, output: e.output })) }),
        }
      : {}),
    ...(c.format ? { format: c.format.text, ...(c.format.schema ? { schema: c.format.schema } : {}) } : {}),
  };
}

/** One dev item's outcome under a candidate. */
export interface ItemOutcome {
  item: StoredItem;
  output: string | null;
  inputTokens: number | null;
  outputTokens: number | null;
  latencyMs: number | null;
  error: { code: string; message: string } | null;
}

export interface Caller {
  projectId: string;
  keyId: null;
  actor: string | null;
  signal: AbortSignal;
}

export interface Scored {
  entry: TraceEntry;
  outcomes: ItemOutcome[];
  ci: { low: number; high: number } | null;
  n: number;
}

/** Runs candidates on the dev items and model calls under one budget. */
export class CandidateScorer {
  constructor(
    private readonly deps: {
      prompts: PromptLab;
      base: TemplateBody;
      model: string;
      dev: StoredItem[];
      metric: string;
      seed: number;
      /** The train pool (featurised on first use: a search without few-shot candidates never does). */
      pool: readonly ExampleCandidate[];
      /** Where the pool came from (`dataset@version split`), kept on a per-input body's pool. */
      poolSource: string;
      diversity: number;
      budget: Budget;
      caller: Caller;
    },
  ) {}

  readonly #fixed = new Map<number, ExampleCandidate[]>();
  #index: ExampleIndex | undefined;

  get #examples(): ExampleIndex {
    this.#index ??= new ExampleIndex(this.deps.pool);
    return this.#index;
  }

  /** The one set for every input: similar to the dev inputs as a whole. */
  fixedSet(k: number): ExampleCandidate[] {
    let set = this.#fixed.get(k);
    if (!set) {
      set = this.#examples.select(this.deps.dev.map(inputText), { k, diversity: this.deps.diversity });
      this.#fixed.set(k, set);
    }
    return set;
  }

  #perInput: FewShotExample[] | undefined;

  /** The pool a body retrieving `k` examples per input carries (k at most the pool's size). */
  perInputPool(k: number): FewShotPool {
    this.#perInput ??= fitPool(this.deps.pool);
    return {
      k: Math.min(k, this.#perInput.length),
      examples: this.#perInput,
      balance_labels: true,
      diversity: this.deps.diversity,
      source: this.deps.poolSource,
    };
  }

  /** The body the dev items are rendered with. */
  bodyFor(choice: Choice): TemplateBody {
    let body = this.deps.base;
    if (choice.instruction) body = withInstruction(body, choice.instruction.text);
    if (choice.shots?.perInput) body = { ...body, few_shot: this.perInputPool(choice.shots.k) };
    else if (choice.shots) body = withExamples(body, this.fixedSet(choice.shots.k));
    if (choice.format) body = withFormat(body, choice.format);
    return body;
  }

  /** Whether the budget can pay for one more candidate on every dev item. */
  canScore(items: readonly StoredItem[] = this.deps.dev): boolean {
    return this.deps.budget.left() >= items.length && this.deps.budget.canCall();
  }

  /**
   * Scores a candidate on the dev items, or on `dev` given (the held-out ones); status
   * `incomplete` when the budget ran out on the way.
   */
  async score(
    meta: Pick<TraceEntry, 'id' | 'kind' | 'parent' | 'detail'>,
    choice: Choice,
    dev: readonly StoredItem[] = this.deps.dev,
  ): Promise<Scored> {
    const { budget, metric, seed } = this.deps;
    const before = { calls: budget.calls, tokens: budget.tokens };
    const outcomes: ItemOutcome[] = [];
    const body = this.bodyFor(choice);
    let complete = true;
    for (const item of dev) {
      if (!budget.canCall()) {
        complete = false;
        break;
      }
      outcomes.push(await this.#generate(body, item));
    }
    const items: ScoredItem[] = outcomes.map((o) => ({
      item: o.item,
      status: o.output === null ? 'failed' : 'succeeded',
      output: o.output,
      scores: {},
    }));
    const corpus = corpusScores([metric], items);
    const scored = items.map((entry) => ({
      status: entry.status,
      scores: corpus.perItem.get(entry.item.ordinal) ?? {},
    }));
    const agg = aggregate(metric, scored, corpus.details[metric], seed);
    const entry: TraceEntry = {
      ...meta,
      status: complete ? 'scored' : 'incomplete',
      score: complete ? (agg?.score ?? 0) : null,
      calls: budget.calls - before.calls,
      tokens: budget.tokens - before.tokens,
      failedItems: items.filter((i) => i.status === 'failed').length,
    };
    return {
      entry,
      outcomes,
      ci: agg?.ci ? { low: agg.ci.low, high: agg.ci.high } : null,
      n: agg?.n ?? 0,
    };
  }

  /** One dev item through a body: rendered by Prompt Lab, generated; a null output when the item fails. */
  async #generate(body: TemplateBody, item: StoredItem): Promise<ItemOutcome> {
    const failed = (error: KeelError): ItemOutcome => ({
      item,
      output: null,
      inputTokens: null,
      outputTokens: null,
      latencyMs: null,
      error: { code: error.code, message: error.message },
    });
    let rendered: Awaited<ReturnType<PromptLab['render']>>;
    try {
      rendered = await this.deps.prompts.render(this.deps.caller, {
        template: body,
        variables: item.input,
        model: this.deps.model,
      });
    } catch (error) {
      if (error instanceof KeelError) return failed(error);
      throw error;
    }
    const prompt: LanguageModelPrompt =
      rendered.prompt.type === 'text'
        ? { type: 'text', text: rendered.prompt.text }
        : { type: 'chat', messages: rendered.prompt.messages };
    const started = performance.now();
    const outcome = await this.call(prompt, generationParameters(body.parameters));
    if (outcome instanceof KeelError) return failed(outcome);
    return { item, ...outcome, latencyMs: Math.round(performance.now() - started), error: null };
  }

  /** One model call, counted in the budget; a client-side error (4xx) comes back as the error. */
  async call(
    prompt: LanguageModelPrompt,
    parameters: ReturnType<typeof generationParameters>,
  ): Promise<{ output: string; inputTokens: number; outputTokens: number } | KeelError> {
    const { budget, caller } = this.deps;
    budget.calls += 1;
    try {
      const outcome = await this.deps.prompts.generation.generate(
        { model: this.deps.model, prompt, parameters, abortSignal: caller.signal },
        { projectId: caller.projectId, keyId: caller.keyId, endpoint: 'tuning.prompt' },
      );
      const inputTokens = outcome.usage.inputTokens ?? 0;
      const outputTokens = outcome.usage.outputTokens ?? 0;
      budget.tokens += inputTokens + outputTokens;
      return { output: outcome.text, inputTokens, outputTokens };
    } catch (error) {
      caller.signal.throwIfAborted();
      if (error instanceof KeelError && error.status < 500) return error;
      throw error;
    }
  }
}
