/**
 * @module deployments/monitoring/request-log
 * The monitoring request log: model calls made for a project, sampled at the configured rate,
 * each reduced to its outcome (status, latency, tokens, cost) and the features drift and fairness
 * read — input and output length, language, refusal, a small hashing-embedder vector of the
 * input, the output's label and the call's protected attributes. The text itself is never stored.
 *
 * The middleware only pushes to a buffer; features are computed and written in batches off the
 * request path (platform's BatchWriter: one statement per flush, one bad row never sinks others).
 */

import { toKeelError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { KeelMetrics } from '../../core/metrics.js';
import { detectLanguage } from '../../core/text/scripts.js';
import { HashingEmbeddingModel, type ProviderRegistry } from '../../models/index.js';
import { BatchWriter } from '../../platform/index.js';
import type { DatabaseV1 } from '../../spec/database.js';
import type { LanguageModelCallOptions, StreamPart } from '../../spec/language-model.js';
import { type LedgerScope, ledgerScopeOf, type PriceOf, servedCall } from '../ledger/index.js';

type ModelMiddleware = Parameters<ProviderRegistry['use']>[0];

/** One call as the middleware saw it (text kept in memory only until the flush). */
export interface LoggedCall {
  projectId: string;
  deploymentId: string | null;
  keyId: string | null;
  requestId: string | null;
  modelId: string;
  endpoint: string;
  atMs: number;
  sampleRate: number;
  status: number;
  latencyMs: number;
  inputTokens: number;
  outputTokens: number;
  cost: number;
  input: string;
  output: string;
  finishReason: string | null;
  attributes: Readonly<Record<string, string>>;
}

export const embeddingDimensions = 64;

// Openings of a refusal, in English and Korean (the languages Keel's detectors know).
const refusalPattern =
  /^\s*(?:i(?:'m| am) (?:sorry|unable|not able)|i (?:can(?:'|no)t|won't|will not|must decline)|sorry, (?:but )?i|as an ai\b|죄송|저는 .{0,20}(?:할 수 없|없습니다))/i;

/** Whether an answer reads as a refusal (or a guardrail replaced it). */
export function isRefusal(output: string, finishReason: string | null): boolean {
  return finishReason === 'content_filter' || refusalPattern.test(output);
}

function promptText(options: LanguageModelCallOptions): string {
  if (options.prompt.type === 'text') return options.prompt.text;
  const lastUser = [...options.prompt.messages].reverse().find((message) => message.role === 'user');
  const content = (lastUser as { content?: unknown } | undefined)?.content;
  return typeof content === 'string' ? content : JSON.stringify(content ?? '');
}

export interface RequestLogOptions {
  db: DatabaseV1;
  /** Share of calls logged (0–1). */
  sampleRate?: number;
  /**
   * Whether a project watches its plain model calls (a project-wide monitor). Calls served by a
   * deployment are always logged; a plain call only where this says so. Absent: every call is.
   */
  watchesModelCalls?: ((projectId: string) => Promise<boolean>) | undefined;
  prices?: PriceOf | undefined;
  flushIntervalMs?: number;
  logger?: Logger | undefined;
  metrics?: KeelMetrics | undefined;
  random?: () => number;
}

export class RequestLog {
  readonly #writer: BatchWriter<LoggedCall>;
  readonly #embedder = new HashingEmbeddingModel({ dimensions: embeddingDimensions });
  readonly sampleRate: number;
  readonly #random: () => number;
  readonly #prices: PriceOf | undefined;

  constructor(private readonly options: RequestLogOptions) {
    this.sampleRate = Math.min(1, Math.max(0, options.sampleRate ?? 1));
    this.#random = options.random ?? Math.random;
    this.#prices = options.prices;
    this.#writer = new BatchWriter<LoggedCall>({
      name: 'monitor_samples',
      write: (calls) => this.#insert(calls),
      flushIntervalMs: options.flushIntervalMs ?? 1000,
      maxBatch: 500,
      logger: options.logger,
      metrics: options.metrics,
    });
  }

  /** Whether to log the next call (decided before it runs, so a sampled-out call costs nothing). */
  sampled(): boolean {
    return this.sampleRate >= 1 || this.#random() < this.sampleRate;
  }

  record(call: LoggedCall): void {
    this.#writer.push(call);
  }

  flush(): Promise<void> {
    return this.#writer.flush();
  }

  close(): Promise<void> {
    return this.#writer.close();
  }

  costOf(modelId: string, inputTokens: number, outputTokens: number): number {
    const price = this.#prices?.(modelId);
    return price ? (inputTokens * price.input + outputTokens * price.output) / 1_000_000 : 0;
  }

  /** The middleware that feeds the log: language-model calls made for a project. */
  middleware(): ModelMiddleware {
    const watches = this.options.watchesModelCalls;
    const start = (
      options: LanguageModelCallOptions,
      scope: LedgerScope,
      provider: string,
      modelId: string,
    ) => {
      return {
        projectId: scope.projectId,
        deploymentId: scope.deploymentId,
        keyId: scope.keyId,
        requestId: options.context?.requestId ?? null,
        modelId: `${provider}:${modelId}`,
        endpoint: options.context?.endpoint ?? '',
        atMs: Date.now(),
        startedAt: performance.now(),
        sampleRate: this.sampleRate,
        input: promptText(options),
        attributes: servedCall()?.attributes ?? {},
      };
    };
    /** The call's log entry, or undefined when it is not logged (no one watches it, or sampled out). */
    const begin = async (options: LanguageModelCallOptions, provider: string, modelId: string) => {
      const scope = ledgerScopeOf(options.context, options.middlewareOptions);
      if (!scope) return undefined;
      if (!scope.deploymentId && watches && !(await watches(scope.projectId))) return undefined;
      return this.sampled() ? start(options, scope, provider, modelId) : undefined;
    };
    type Started = ReturnType<typeof start>;
    const finish = (
      begun: Started,
      outcome: {
        status: number;
        output: string;
        finishReason: string | null;
        usage?: { inputTokens: number; outputTokens: number };
      },
    ) => {
      const { startedAt, ...rest } = begun;
      const inputTokens = outcome.usage?.inputTokens ?? 0;
      const outputTokens = outcome.usage?.outputTokens ?? 0;
      this.record({
        ...rest,
        status: outcome.status,
        latencyMs: performance.now() - startedAt,
        inputTokens,
        outputTokens,
        cost: this.costOf(begun.modelId, inputTokens, outputTokens),
        output: outcome.output,
        finishReason: outcome.finishReason,
      });
    };
    return {
      name: 'request-log',
      async wrapGenerate({ options, model, doGenerate }) {
        const begun = await begin(options, model.provider, model.modelId);
        if (!begun) return doGenerate();
        try {
          const result = await doGenerate();
          finish(begun, {
            status: 200,
            output: result.text,
            finishReason: result.finishReason,
            usage: result.usage,
          });
          return result;
        } catch (error) {
          finish(begun, { status: toKeelError(error).status, output: '', finishReason: 'error' });
          throw error;
        }
      },
      async wrapStream({ options, model, doStream }) {
        const begun = await begin(options, model.provider, model.modelId);
        if (!begun) return doStream();
        let result: Awaited<ReturnType<typeof doStream>>;
        try {
          result = await doStream();
        } catch (error) {
          finish(begun, { status: toKeelError(error).status, output: '', finishReason: 'error' });
          throw error;
        }
        async function* logged(stream: AsyncIterable<StreamPart>): AsyncGenerator<StreamPart> {
          let output = '';
          let status = 499;
          let finishReason: string | null = 'cancelled';
          let usage: { inputTokens: number; outputTokens: number } | undefined;
          try {
            for await (const part of stream) {
              if (part.type === 'text-delta') {
                if (output.length < 4096) output += part.text;
              } else if (part.type === 'finish') {
                status = part.finishReason === 'cancelled' ? 499 : 200;
                finishReason = part.finishReason;
                usage = part.usage;
              } else if (part.type === 'error') {
                status = part.error.status;
                finishReason = 'error';
              }
              yield part;
              if (part.type === 'finish' || part.type === 'error') return;
            }
          } finally {
            finish(begun!, { status, output, finishReason, ...(usage ? { usage } : {}) });
          }
        }
        return { ...result, stream: logged(result.stream) };
      },
    };
  }

  async #insert(batch: LoggedCall[]): Promise<void> {
    // Text the database stores: no NUL characters (PostgreSQL refuses them in text and jsonb).
    const clean = (text: string) => text.replace(/\u0000/g, '');
    const calls = batch.map((call) => ({
      ...call,
      modelId: clean(call.modelId).slice(0, 500),
      endpoint: clean(call.endpoint).slice(0, 200),
      output: clean(call.output),
      attributes: Object.fromEntries(
        Object.entries(call.attributes).map(([key, value]) => [
          clean(key).slice(0, 100),
          clean(String(value)).slice(0, 200),
        ]),
      ),
    }));
    const { embeddings } = await this.#embedder.doEmbed({
      values: calls.map((call) => call.input.slice(0, 4000)),
    });
    const columns: unknown[][] = Array.from({ length: 21 }, () => []);
    calls.forEach((call, index) => {
      const values: unknown[] = [
        call.projectId,
        call.deploymentId,
        call.keyId,
        call.requestId,
        call.modelId,
        call.endpoint,
        call.atMs,
        call.sampleRate,
        call.status,
        call.latencyMs,
        call.inputTokens,
        call.outputTokens,
        call.cost,
        call.input.length,
        call.output.length,
        call.input.trim() ? detectLanguage(call.input).language : 'none',
        isRefusal(call.output, call.finishReason),
        `{${Array.from(embeddings[index] ?? [], (value) => value.toFixed(5)).join(',')}}`,
        call.output.trim().toLowerCase().slice(0, 64) || null,
        JSON.stringify(call.attributes),
        null,
      ];
      values.forEach((value, column) => columns[column]!.push(value));
    });
    await this.options.db.query(
      `INSERT INTO monitor_samples (project_id, deployment_id, key_id, request_id, model_id, endpoint, created_at, sample_rate,
              status, latency_ms, input_tokens, output_tokens, cost, input_chars, output_chars, language, refused,
              embedding, output_label, attributes)
       SELECT p, d, k, r, m, e, to_timestamp(t / 1000.0), sr, s, l, it, ot, c, ic, oc, lang, rf, emb::real[], lbl, attr::jsonb
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::float8[], $8::float8[],
                     $9::int[], $10::float8[], $11::int[], $12::int[], $13::float8[], $14::int[], $15::int[], $16::text[],
                     $17::bool[], $18::text[], $19::text[], $20::text[])
           AS u(p, d, k, r, m, e, t, sr, s, l, it, ot, c, ic, oc, lang, rf, emb, lbl, attr)`,
      columns.slice(0, 20),
    );
  }
}
