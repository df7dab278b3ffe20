/**
 * @module testing/echo-provider
 * A deterministic in-process provider for route and service tests: its "model" answers with the
 * last user message (or the prompt) reversed word by word, one word per streamed part, and embeds
 * text as character-class counts. Real adapters are tested against llama.cpp and fake upstream
 * servers; this double keeps HTTP-layer tests fast and exact.
 */
import { KeelError } from '../core/errors.js';
import type { EmbeddingModelV1, EmbedResult } from '../spec/embedding-model.js';
import type {
  GenerateResult,
  LanguageModelCallOptions,
  LanguageModelCapabilities,
  LanguageModelV1,
  StreamPart,
  StreamResult,
} from '../spec/language-model.js';
import type { ModelInfo, ProviderV1 } from '../spec/provider.js';
import type { RerankModelV1 } from '../spec/rerank-model.js';

export interface EchoProviderOptions {
  name?: string;
  /** Milliseconds between streamed words. */
  delayMs?: number;
  /** Fail calls whose prompt contains this text with this error. */
  failOn?: { text: string; error: KeelError };
  /**
   * Answer with this text instead of the reversed prompt when it returns one (e.g. JSON for
   * structured-output tests); streamed one space-separated word per part.
   */
  respond?: (options: LanguageModelCallOptions) => string | undefined;
  /** What the model says it can do (default: tools, no structured output, tokenize). */
  capabilities?: Partial<LanguageModelCapabilities>;
  /** Context window in tokens (default 4096). */
  contextLength?: number;
}

function promptText(options: LanguageModelCallOptions): string {
  if (options.prompt.type === 'text') return options.prompt.text;
  const lastUser = [...options.prompt.messages].reverse().find((message) => message.role === 'user');
  return lastUser?.content ?? '';
}

function countTokens(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}

class EchoLanguageModel implements LanguageModelV1 {
  readonly specificationVersion = 'v1' as const;
  readonly capabilities: LanguageModelCapabilities;

  constructor(
    readonly provider: string,
    readonly modelId: string,
    private readonly options: EchoProviderOptions,
  ) {
    this.capabilities = { tools: true, structuredOutput: 'none', tokenize: true, ...options.capabilities };
  }

  async contextLength() {
    return this.options.contextLength ?? 4096;
  }

  #answer(options: LanguageModelCallOptions): {
    words: string[];
    input: number;
    finish: GenerateResult['finishReason'];
    stop: boolean;
  } {
    const text = promptText(options);
    if (this.options.failOn && text.includes(this.options.failOn.text)) throw this.options.failOn.error;
    const scripted = this.options.respond?.(options);
    let words = scripted !== undefined ? scripted.split(' ') : text.split(/\s+/).filter(Boolean).reverse();
    let finish: GenerateResult['finishReason'] = 'eos_token';
    const max = options.parameters?.maxNewTokens;
    if (max !== undefined && words.length > max) {
      words = words.slice(0, max);
      finish = 'max_tokens';
    }
    const stopIndex = options.parameters?.stopSequences?.length
      ? words.findIndex((word) => options.parameters!.stopSequences!.includes(word))
      : -1;
    if (stopIndex >= 0) {
      words = words.slice(0, options.parameters?.includeStopSequence ? stopIndex + 1 : stopIndex);
      finish = 'stop_sequence';
    }
    return { words, input: countTokens(text), finish, stop: stopIndex >= 0 };
  }

  async doGenerate(options: LanguageModelCallOptions): Promise<GenerateResult> {
    const { words, input, finish } = this.#answer(options);
    if (
      options.tools?.length &&
      options.toolChoice &&
      options.toolChoice !== 'none' &&
      options.toolChoice !== 'auto'
    ) {
      const name = typeof options.toolChoice === 'object' ? options.toolChoice.name : options.tools[0]!.name;
      return {
        text: '',
        toolCalls: [{ id: 'call_1', name, arguments: JSON.stringify({ words }) }],
        finishReason: 'tool_calls',
        usage: { inputTokens: input, outputTokens: 1 },
        warnings: [],
      };
    }
    return {
      text: words.join(' '),
      finishReason: finish,
      usage: { inputTokens: input, outputTokens: words.length },
      warnings: [],
    };
  }

  async doStream(options: LanguageModelCallOptions): Promise<StreamResult> {
    const { words, input, finish } = this.#answer(options);
    const delay = this.options.delayMs ?? 0;
    const signal = options.abortSignal;
    async function* parts(): AsyncGenerator<StreamPart> {
      let produced = 0;
      for (const [index, word] of words.entries()) {
        if (signal?.aborted) {
          yield {
            type: 'finish',
            finishReason: 'cancelled',
            usage: { inputTokens: input, outputTokens: produced },
          };
          return;
        }
        if (delay) await new Promise((resolve) => setTimeout(resolve, delay));
        produced++;
        yield { type: 'text-delta', text: index === 0 ? word : ` ${word}` };
      }
      yield { type: 'finish', finishReason: finish, usage: { inputTokens: input, outputTokens: produced } };
    }
    return { stream: parts(), warnings: [] };
  }

  async tokenize(text: string) {
    const strings = text.split(/\s+/).filter(Boolean);
    return { tokens: strings.map((_, index) => index + 1), strings };
  }
}

class EchoEmbeddingModel implements EmbeddingModelV1 {
  readonly specificationVersion = 'v1' as const;
  readonly maxEmbeddingsPerCall = 4;
  constructor(
    readonly provider: string,
    readonly modelId: string,
  ) {}
  async dimensions() {
    return 4;
  }
  async doEmbed(options: { values: string[] }): Promise<EmbedResult> {
    const embeddings = options.values.map((value) => {
      const counts = [/[a-z]/g, /[A-Z]/g, /[0-9]/g, /[가-힣]/g].map(
        (pattern) => (value.match(pattern) ?? []).length,
      );
      const norm = Math.hypot(...counts) || 1;
      return Float32Array.from(counts.map((count) => count / norm));
    });
    return {
      embeddings,
      usage: { inputTokens: options.values.reduce((sum, value) => sum + countTokens(value), 0) },
      warnings: [],
    };
  }
}

export function createEchoProvider(options: EchoProviderOptions = {}): ProviderV1 {
  const name = options.name ?? 'echo';
  const models = ['reverse', 'embed'];
  return {
    specificationVersion: 'v1',
    name,
    type: 'echo',
    languageModel(modelId) {
      if (modelId !== 'reverse')
        throw new KeelError('model_not_found', `Model ${name}:${modelId} not found.`);
      return new EchoLanguageModel(name, modelId, options);
    },
    embeddingModel(modelId) {
      if (modelId !== 'embed') throw new KeelError('model_not_found', `Model ${name}:${modelId} not found.`);
      return new EchoEmbeddingModel(name, modelId);
    },
    rerankModel(): RerankModelV1 {
      throw new KeelError('not_implemented', 'The echo provider has no rerank model.');
    },
    async listModels(): Promise<ModelInfo[]> {
      return models.map((modelId) => ({
        id: `${name}:${modelId}`,
        provider: name,
        modelId,
        kinds: [modelId === 'embed' ? 'embedding' : 'language'],
        contextLength: options.contextLength ?? 4096,
      }));
    },
    async status() {
      return { reachable: true, latencyMs: 0 };
    },
    async close() {},
  };
}

/**
 * A model `sql:reverse` that writes SQL for `data ask`: `answer` sees the prompt (as JSON text)
 * and gives the SQL and its explanation, which the model returns as the JSON the ask step reads.
 */
export function createSqlWriter(
  answer: (prompt: string) => { sql: string; explanation: string },
): ProviderV1 {
  return createEchoProvider({
    name: 'sql',
    respond: (options) => JSON.stringify(answer(JSON.stringify(options.prompt))),
  });
}
