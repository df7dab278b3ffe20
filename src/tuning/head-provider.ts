/**
 * @module tuning/head-provider
 * The `head` provider: every stored head is a language model `head:<name>` (or
 * `head:<name>@<version>`), so classification runs wherever a model id is accepted — the
 * OpenAI-compatible and watsonx endpoints, Prompt Lab compare, deployments — behind the registry's
 * middleware (guardrails, metering, tracing). Heads belong to a project: the head is looked up in
 * the project of the call's context. The answer is the predicted label; with a JSON response
 * format it is `{"label": …, "scores": [{"label": …, "probability": …}]}` (classification as
 * extraction); a tagger head answers `{"entities": [{type, text, start, end, score}]}`. Calibrated scores are also in `providerMetadata.head`. A head registered in
 * governance answers only once approved; inside a deployment it must be registered and approved
 * (`TuningService.checkServing`).
 */
import { KeelError } from '../core/errors.js';
import { servedCall } from '../deployments/ledger/index.js';
import type {
  GenerateResult,
  LanguageModelCallOptions,
  LanguageModelPrompt,
  LanguageModelV1,
  StreamPart,
} from '../spec/language-model.js';
import type { ProviderV1 } from '../spec/provider.js';
import { HEAD_NAME } from './head-file.js';
import type { TuningService } from './tuning-service.js';

export const HEAD_PROVIDER = 'head';

function parseHeadId(modelId: string): { name: string; version?: number } {
  const at = modelId.lastIndexOf('@');
  const name = at > 0 ? modelId.slice(0, at) : modelId;
  const version = at > 0 ? Number(modelId.slice(at + 1)) : undefined;
  if (!HEAD_NAME.test(name) || (version !== undefined && !(Number.isInteger(version) && version > 0))) {
    throw new KeelError(
      'model_not_found',
      `Model head:${modelId} is not a head name (head:<name> or head:<name>@<version>).`,
      {
        data: { provider: HEAD_PROVIDER, modelId, hint: 'List heads with GET /api/v1/heads.' },
      },
    );
  }
  return version === undefined ? { name } : { name, version };
}

/** The text a head classifies: the prompt, or the last user message of a chat. */
function textOf(prompt: LanguageModelPrompt): string {
  if (prompt.type === 'text') return prompt.text;
  for (let i = prompt.messages.length - 1; i >= 0; i--) {
    const message = prompt.messages[i];
    if (message?.role === 'user') return message.content;
  }
  throw new KeelError('invalid_request', 'A head classifies a user message; the chat has none.', {
    issues: [{ code: 'no_user_message', path: ['messages'], message: 'no user message to classify' }],
  });
}

class HeadLanguageModel implements LanguageModelV1 {
  readonly specificationVersion = 'v1' as const;
  readonly provider = HEAD_PROVIDER;
  readonly capabilities = { tools: false, structuredOutput: 'native' as const, tokenize: false };
  readonly #head: { name: string; version?: number };

  constructor(
    readonly modelId: string,
    readonly tuning: TuningService,
  ) {
    this.#head = parseHeadId(modelId);
  }

  async contextLength(): Promise<number | undefined> {
    return undefined;
  }

  async doGenerate(options: LanguageModelCallOptions): Promise<GenerateResult> {
    const projectId = options.context?.projectId;
    if (!projectId) {
      throw new KeelError(
        'invalid_request',
        `head:${this.modelId} is a project's head; the call names no project.`,
      );
    }
    options.abortSignal?.throwIfAborted();
    const served = await this.tuning.serve(projectId, this.#head.name, textOf(options.prompt), {
      version: this.#head.version,
      deploymentId: servedCall()?.deploymentId ?? null,
      signal: options.abortSignal,
    });
    const { head } = served;
    // A tagger extracts: its answer is always the entities as JSON.
    const found =
      served.kind === 'tagger'
        ? { entities: served.tagged.entities }
        : { label: served.prediction.label, scores: served.prediction.scores };
    const text =
      served.kind === 'tagger' || options.responseFormat?.type === 'json'
        ? JSON.stringify(found)
        : served.prediction.label;
    return {
      text,
      finishReason: 'eos_token',
      // A head reads no tokens: it has no tokenizer, and metering counts calls.
      usage: { inputTokens: 0, outputTokens: 0 },
      warnings: [
        ...(options.tools?.length
          ? [
              {
                type: 'unsupported-setting' as const,
                setting: 'tools',
                message: 'A head does not call tools.',
              },
            ]
          : []),
      ],
      providerMetadata: {
        head: { name: head.name, version: head.version, ...found },
      },
    };
  }

  async doStream(options: LanguageModelCallOptions) {
    const result = await this.doGenerate(options);
    async function* stream(): AsyncIterable<StreamPart> {
      yield { type: 'text-delta', text: result.text };
      yield { type: 'finish', finishReason: result.finishReason, usage: result.usage };
    }
    return { stream: stream(), warnings: result.warnings };
  }

  async tokenize(): Promise<never> {
    throw new KeelError('not_implemented', 'Heads have no tokenizer.');
  }
}

export function createHeadProvider(tuning: TuningService): ProviderV1 {
  return {
    specificationVersion: 'v1',
    name: HEAD_PROVIDER,
    type: 'head',
    languageModel: (modelId) => new HeadLanguageModel(modelId, tuning),
    embeddingModel(modelId) {
      throw new KeelError('model_not_found', `Model head:${modelId} classifies; it does not embed.`);
    },
    rerankModel() {
      throw new KeelError('not_implemented', 'Heads do not rerank.');
    },
    // Heads belong to projects; they are listed per project by GET /api/v1/heads.
    listModels: async () => [],
    status: async () => ({ reachable: true, latencyMs: 0 }),
    close: async () => {},
  };
}
