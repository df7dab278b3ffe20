/**
 * @module deployments/ledger/ledger-middleware
 * The ledger as model-call middleware, so that it covers every route that calls a model — the
 * OpenAI- and watsonx-shaped model routes, deployments, RAG ask, Prompt Lab, MCP — in one place
 * (decision 0022). It sits inside metering (a refused call is metered as a 429) and outside the
 * time limit.
 *
 * - generate: reserves the input estimate plus the output allowance (`maxNewTokens`, or the
 *   default allowance, which then caps the call) and settles with the model's usage.
 * - stream: reserves the input and a first slice of output, then extends the hold slice by slice
 *   as text arrives; when the ledger refuses a slice, the generation is cancelled and the stream
 *   ends with an `error` part (`rate_limited`, naming the limit), its usage booked.
 * - embed: reserves the input estimate (no output).
 *
 * Calls without a context (internal ones nobody pays for) pass untouched.
 */
import { KeelError, toKeelError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { ScopedStorage } from '../../core/scoped-storage.js';
import type { ProviderRegistry } from '../../models/index.js';
import type { CallContext, LanguageModelCallOptions, StreamPart } from '../../spec/language-model.js';
import type { Ledger, LedgerAmounts, LedgerScope, Reservation } from './ledger.js';

/** What `registry.use` takes (the models module's middleware shape). */
type ModelMiddleware = Parameters<ProviderRegistry['use']>[0];

/** USD per million tokens. */
export interface TokenPrice {
  input: number;
  output: number;
}
export type PriceOf = (modelId: string) => TokenPrice | undefined;

export interface LedgerMiddlewareOptions {
  ledger: Ledger;
  prices?: PriceOf | undefined;
  /** Output tokens held for a generate call that sets no `maxNewTokens` (and its cap). */
  defaultOutputTokens?: number;
  /** Output tokens a stream holds at a time. */
  streamSliceTokens?: number;
  logger?: Logger | undefined;
}

/** What a caller may pass for the ledger in `middlewareOptions.ledger`. */
export interface LedgerCallOptions {
  deploymentId?: string | null;
}

/** Tokens in `text`, estimated without a tokenizer: ASCII at four characters a token, others one each. */
export function estimateTokens(text: string): number {
  let ascii = 0;
  let other = 0;
  let words = 0;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const space = code === 32 || code === 10 || code === 9 || code === 13;
    if (!space && !inWord) words++;
    inWord = !space;
    if (code < 128) ascii++;
    else if (code < 0xdc00 || code > 0xdfff) other++; // a surrogate pair counts once
  }
  return Math.max(words, Math.ceil(ascii / 4) + other);
}

function promptTokens(options: LanguageModelCallOptions): number {
  const prompt = options.prompt;
  if (prompt.type === 'text') return estimateTokens(prompt.text);
  let tokens = 0;
  for (const message of prompt.messages) {
    const content = (message as { content?: unknown }).content;
    tokens +=
      4 +
      (typeof content === 'string' ? estimateTokens(content) : estimateTokens(JSON.stringify(content ?? '')));
  }
  return tokens;
}

/** A call served by a deployment: its id, and attributes monitors read (a protected attribute). */
export interface ServedCall {
  deploymentId: string;
  attributes?: Readonly<Record<string, string>> | undefined;
}

// Enabled only while a deployment call runs (core/scoped-storage): every other model call pays no
// promise hooks for them. The middleware reads them when a call starts.
const deploymentStorage = new ScopedStorage<ServedCall>();
const attributeStorage = new ScopedStorage<Readonly<Record<string, string>>>();

/**
 * The deployment the current call serves, when run under `runForDeployment`, with the caller's
 * attributes (`withCallAttributes`) under the run's own (such as the version that served).
 */
export function servedCall(): ServedCall | undefined {
  const served = deploymentStorage.getStore();
  const caller = served && attributeStorage.getStore();
  return caller ? { ...served, attributes: { ...caller, ...served.attributes } } : served;
}

/**
 * Runs `work` with the attributes a caller sent along with a request (a protected attribute such
 * as `{ group: 'b' }`): the deployment calls it makes are logged with them for fairness monitors.
 */
export function withCallAttributes<T>(
  attributes: Readonly<Record<string, string>> | undefined,
  work: () => T,
): T {
  return attributes && Object.keys(attributes).length ? attributeStorage.run(attributes, work) : work();
}

/**
 * Runs `work` as serving deployment `deploymentId`: every model call it makes (a template run, a
 * RAG ask) counts against the deployment's limits and is checked against keys scoped to it,
 * without threading the id through the services in between.
 *
 * @example
 * const run = await runForDeployment(deployment.id, () => runPrompt(lab, caller, input));
 */
export function runForDeployment<T>(
  deploymentId: string,
  work: () => T,
  options: { attributes?: Readonly<Record<string, string>> | undefined } = {},
): T {
  return deploymentStorage.run({ deploymentId, attributes: options.attributes }, work);
}

/** The ledger scope of a call, or undefined for internal calls. */
export function ledgerScopeOf(
  context: CallContext | undefined,
  middlewareOptions: Record<string, unknown> | undefined,
): LedgerScope | undefined {
  if (!context) return undefined;
  const own = middlewareOptions?.ledger as LedgerCallOptions | undefined;
  const deploymentId =
    own?.deploymentId ??
    (context as CallContext & { deploymentId?: string | null }).deploymentId ??
    deploymentStorage.getStore()?.deploymentId ??
    null;
  return { projectId: context.projectId, keyId: context.keyId, deploymentId };
}

export function ledgerMiddleware(options: LedgerMiddlewareOptions): ModelMiddleware {
  const { ledger } = options;
  const defaultOutput = options.defaultOutputTokens ?? 1024;
  const slice = options.streamSliceTokens ?? 64;
  const priceOf = (provider: string, modelId: string) => options.prices?.(`${provider}:${modelId}`);
  const cost = (price: TokenPrice | undefined, input: number, output: number) =>
    price ? (input * price.input + output * price.output) / 1_000_000 : 0;
  const settle = (reservation: Reservation, used: LedgerAmounts) =>
    ledger.settleInBackground(reservation, used);

  return {
    name: 'ledger',
    async wrapGenerate({ options: call, model, doGenerate }) {
      const scope = ledgerScopeOf(call.context, call.middlewareOptions);
      if (!scope) return doGenerate();
      const price = priceOf(model.provider, model.modelId);
      const input = promptTokens(call);
      const output = call.parameters?.maxNewTokens ?? defaultOutput;
      const reservation = await ledger.reserve(scope, {
        tokens: input + output,
        cost: cost(price, input, output),
      });
      if (reservation.empty) return doGenerate();
      // The hold bounds the output: a call that set no maximum gets the allowance as its maximum.
      const next =
        call.parameters?.maxNewTokens === undefined && reservation.metersTokens
          ? { ...call, parameters: { ...call.parameters, maxNewTokens: output } }
          : call;
      let used: LedgerAmounts = { tokens: 0, cost: 0 };
      try {
        const result = await doGenerate(next);
        used = {
          tokens: result.usage.inputTokens + result.usage.outputTokens,
          cost: cost(price, result.usage.inputTokens, result.usage.outputTokens),
        };
        return result;
      } finally {
        settle(reservation, used);
      }
    },

    async wrapStream({ options: call, model, doStream }) {
      const scope = ledgerScopeOf(call.context, call.middlewareOptions);
      if (!scope) return doStream();
      const price = priceOf(model.provider, model.modelId);
      const input = promptTokens(call);
      const maxOutput = call.parameters?.maxNewTokens;
      const first = Math.min(slice, maxOutput ?? slice);
      const reservation = await ledger.reserve(scope, {
        tokens: input + first,
        cost: cost(price, input, first),
      });
      if (reservation.empty) return doStream();
      let result: Awaited<ReturnType<typeof doStream>>;
      try {
        result = await doStream();
      } catch (error) {
        settle(reservation, { tokens: 0, cost: 0 });
        throw error;
      }
      return {
        ...result,
        stream: meteredStream(result.stream, {
          reservation,
          input,
          heldOutput: first,
          slice,
          maxOutput,
          cost: (i, o) => cost(price, i, o),
          settle: (used) => settle(reservation, used),
        }),
      };
    },

    async wrapEmbed({ options: call, doEmbed }) {
      const scope = ledgerScopeOf(call.context, call.middlewareOptions);
      if (!scope) return doEmbed();
      let input = 0;
      for (const value of call.values) input += estimateTokens(value);
      const reservation = await ledger.reserve(scope, { tokens: input, cost: 0 });
      if (reservation.empty) return doEmbed();
      let used: LedgerAmounts = { tokens: 0, cost: 0 };
      try {
        const result = await doEmbed();
        used = { tokens: result.usage.inputTokens, cost: 0 };
        return result;
      } finally {
        settle(reservation, used);
      }
    },
  };
}

interface StreamLedger {
  reservation: Reservation;
  input: number;
  heldOutput: number;
  slice: number;
  maxOutput: number | undefined;
  cost: (input: number, output: number) => number;
  settle: (used: LedgerAmounts) => void;
}

async function* meteredStream(
  stream: AsyncIterable<StreamPart>,
  ledger: StreamLedger,
): AsyncGenerator<StreamPart> {
  let output = 0;
  let held = ledger.heldOutput;
  let finalUsage: { inputTokens: number; outputTokens: number } | undefined;
  const iterator = stream[Symbol.asyncIterator]();
  let ended = false;
  try {
    while (true) {
      const next = await iterator.next();
      if (next.done) {
        ended = true;
        return;
      }
      const part = next.value;
      if (part.type === 'text-delta') {
        output += Math.max(1, Math.ceil(part.text.length / 4));
        if (output > held && ledger.reservation.metersTokens) {
          const more = Math.max(ledger.slice, output - held);
          try {
            await ledger.reservation.extend({ tokens: more, cost: ledger.cost(0, more) });
            held += more;
          } catch (error) {
            // Out of budget mid-stream: stop the model, say why, book what was produced.
            ended = true;
            await iterator.return?.();
            const refusal = toKeelError(error);
            const stopped = new KeelError(
              refusal.code,
              `The stream stopped: ${refusal.message}`,
              refusal.data
                ? {
                    data: { ...refusal.data, outputTokens: output },
                    ...(refusal.issues ? { issues: refusal.issues } : {}),
                  }
                : {},
            );
            yield { type: 'error', error: stopped };
            return;
          }
        }
      } else if (part.type === 'finish') {
        finalUsage = part.usage;
      }
      if (part.type === 'finish' || part.type === 'error') ended = true;
      yield part;
      if (ended) return;
    }
  } finally {
    // The consumer left early (client gone): cancel the generation before booking it.
    if (!ended) await iterator.return?.().catch(() => undefined);
    const usedInput = finalUsage?.inputTokens ?? ledger.input;
    const usedOutput = finalUsage?.outputTokens ?? output;
    ledger.settle({ tokens: usedInput + usedOutput, cost: ledger.cost(usedInput, usedOutput) });
  }
}
