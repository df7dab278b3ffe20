/**
 * @module models/providers/http/http-language-model
 * `LanguageModelV1` over one HTTP endpoint that answers a whole generation at once: the body is
 * the provider's template filled in, the text and token counts are read from the answer by the
 * configured paths. Such an endpoint does not stream, so `doStream` sends the same call and gives
 * the answer as one delta; stop sequences the template has no place for are applied here.
 */
import { KeelError } from '../../../core/errors.js';
import type {
  FinishReason,
  GenerateResult,
  LanguageModelCallOptions,
  LanguageModelUsage,
  LanguageModelV1,
  StreamPart,
  StreamResult,
  TokenizeResult,
} from '../../../spec/language-model.js';
import type { HttpClient } from '../shared/http-client.js';
import { errorFromTransport } from '../shared/upstream-errors.js';
import { type BuiltRequest, buildRequest } from './request-template.js';
import { readPath } from './response-path.js';

/** What the models of one `http` provider share. */
export interface HttpModelHost {
  name: string;
  client: HttpClient;
  method: 'POST' | 'PUT' | 'PATCH';
  /** The endpoint's path and query. */
  path: string;
  template: Record<string, unknown>;
  placeholders: ReadonlySet<string>;
  response: {
    text: (string | number)[];
    textPath: string;
    inputTokens?: (string | number)[] | undefined;
    outputTokens?: (string | number)[] | undefined;
  };
  /** Resolves once the endpoint may be called (the outbound-URL policy); rejects with its coded error. */
  ready(): Promise<void>;
}

interface Answer {
  text: string;
  finishReason: FinishReason;
  usage: LanguageModelUsage;
}

function count(value: unknown): number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : 0;
}

/** Cuts `text` at the first of `stops`; `keep` leaves the stop sequence in. */
function cutAtStop(text: string, stops: string[], keep: boolean): string | undefined {
  let at = -1;
  let matched = '';
  for (const stop of stops) {
    const index = text.indexOf(stop);
    if (index !== -1 && (at === -1 || index < at)) {
      at = index;
      matched = stop;
    }
  }
  return at === -1 ? undefined : text.slice(0, keep ? at + matched.length : at);
}

export class HttpLanguageModel implements LanguageModelV1 {
  readonly specificationVersion = 'v1' as const;
  readonly capabilities = { tools: false, structuredOutput: 'none', tokenize: false } as const;

  constructor(
    readonly modelId: string,
    private readonly host: HttpModelHost,
  ) {}

  get provider(): string {
    return this.host.name;
  }

  async contextLength(): Promise<number | undefined> {
    return undefined;
  }

  async doGenerate(options: LanguageModelCallOptions): Promise<GenerateResult> {
    const request = buildRequest(
      this.host.template,
      this.host.placeholders,
      this.modelId,
      options,
      this.host.name,
    );
    const answer = await this.#call(request, options);
    return { ...answer, warnings: request.warnings };
  }

  async doStream(options: LanguageModelCallOptions): Promise<StreamResult> {
    const signal = options.abortSignal;
    if (signal?.aborted) throw errorFromTransport(signal.reason, this.host.client.context, signal);
    const request = buildRequest(
      this.host.template,
      this.host.placeholders,
      this.modelId,
      options,
      this.host.name,
    );
    return { stream: this.#stream(request, options), warnings: request.warnings };
  }

  async *#stream(request: BuiltRequest, options: LanguageModelCallOptions): AsyncGenerator<StreamPart> {
    const signal = options.abortSignal;
    let answer: Answer;
    try {
      answer = await this.#call(request, options);
    } catch (error) {
      const keelError =
        error instanceof KeelError ? error : errorFromTransport(error, this.host.client.context, signal);
      if (keelError.code === 'client_closed') {
        yield { type: 'finish', finishReason: 'cancelled', usage: { inputTokens: 0, outputTokens: 0 } };
      } else yield { type: 'error', error: keelError };
      return;
    }
    if (answer.text) yield { type: 'text-delta', text: answer.text };
    // The consumer may have aborted on the delta.
    yield signal?.aborted
      ? { type: 'finish', finishReason: 'cancelled', usage: answer.usage }
      : { type: 'finish', finishReason: answer.finishReason, usage: answer.usage };
  }

  async #call(request: BuiltRequest, options: LanguageModelCallOptions): Promise<Answer> {
    const signal = options.abortSignal;
    if (signal?.aborted) throw errorFromTransport(signal.reason, this.host.client.context, signal);
    await this.host.ready();
    const { host } = this;
    const json = await host.client.requestJson<unknown>(host.method, host.path, request.body, { signal });
    const raw = readPath(json, host.response.text);
    if (typeof raw !== 'string') {
      const what = raw === undefined ? 'has nothing at' : `has a ${raw === null ? 'null' : typeof raw} at`;
      throw new KeelError(
        'upstream_error',
        `The answer of provider "${host.name}" (${host.client.context.displayURL}) ${what} response.text "${host.response.textPath}", where the generated text should be.`,
        {
          data: { provider: host.name, hint: `Check response.text of provider "${host.name}" in keel.yaml.` },
          issues: [
            {
              code: raw === undefined ? 'response_path_missing' : 'response_path_not_text',
              path: ['response', 'text'],
              message: `no text at ${host.response.textPath}`,
            },
          ],
        },
      );
    }
    const parameters = options.parameters ?? {};
    const usage = {
      inputTokens: host.response.inputTokens ? count(readPath(json, host.response.inputTokens)) : 0,
      outputTokens: host.response.outputTokens ? count(readPath(json, host.response.outputTokens)) : 0,
    };
    const cut = request.localStops.length
      ? cutAtStop(raw, request.localStops, parameters.includeStopSequence ?? false)
      : undefined;
    if (cut !== undefined) return { text: cut, finishReason: 'stop_sequence', usage };
    const limit = parameters.maxNewTokens;
    const finishReason: FinishReason =
      limit !== undefined && usage.outputTokens >= limit && raw.length > 0 ? 'max_tokens' : 'eos_token';
    return { text: raw, finishReason, usage };
  }

  async tokenize(): Promise<TokenizeResult> {
    throw new KeelError(
      'not_implemented',
      `An HTTP endpoint has no tokenizer, so ${this.host.name}:${this.modelId} cannot count tokens exactly.`,
      { data: { provider: this.host.name } },
    );
  }
}
