/**
 * The language-model conformance suite: every adapter of the language-model port must pass it —
 * the remote providers on their fake upstreams, embedded llama.cpp on the tiny GGUF. It checks
 * the port's promises, not a backend's quality: results and stream parts are well-formed, a
 * stream is deltas then exactly one finish, stop sequences and max_new_tokens are honoured,
 * aborting and breaking out stop promptly, unsupported settings come back as warnings, and
 * failures are KeelErrors with mapped codes. What differs between backends (can the exact text be
 * predicted? does it say which stop sequence matched?) the fixture declares.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorCode } from '../../src/core/codes.js';
import { KeelError } from '../../src/core/errors.js';
import type {
  GenerateResult,
  GenerationParameters,
  LanguageModelCallOptions,
  LanguageModelPrompt,
  LanguageModelV1,
  StreamPart,
} from '../../src/spec/language-model.js';
import type { CallWarning } from '../../src/spec/warnings.js';

export interface LanguageModelFailureCase {
  name: string;
  model: LanguageModelV1;
  code: ErrorCode;
  /** Whether `doGenerate` fails too (false for failures that only streams have). Default true. */
  generate?: boolean;
  /** Where a stream's failure shows: thrown by `doStream`, as an `error` part, or either. Default either. */
  streamStage?: 'call' | 'stream' | 'either';
  prompt?: LanguageModelPrompt;
}

export interface LanguageModelExpectations {
  /** The exact answer at default settings, when the backend is predictable (fake upstreams). */
  replyText?: string;
  /** Prompt kinds the model takes. Default both. */
  promptTypes?: ('text' | 'chat')[];
  /** Greedy decoding gives the same text every time (needed to predict where a stop sequence cuts). Default true. */
  deterministicGreedy?: boolean;
  /** Usage reports input tokens (> 0). Default true. */
  reportsInputTokens?: boolean;
  /** The finish reason says `stop_sequence` when one matched (not just `eos_token`). Default false. */
  reportsStopSequence?: boolean;
  /** Tokens the suite lets a generation run to. Default 24. */
  maxNewTokens?: number;
  /** A model and settings whose stream runs long enough to abort in the middle. Default: this model, 512 tokens. */
  slowStream?: { model?: LanguageModelV1; parameters?: GenerationParameters };
  /** How soon an abort must end the stream, milliseconds. Default 1000. */
  abortWithinMs?: number;
  /** Settings this model cannot honour: each named setting must come back as a warning. */
  unsupported?: { parameters: GenerationParameters; settings: string[] }[];
  /** Calls that must fail with a given Keel error code. */
  failures?: LanguageModelFailureCase[];
  /** The exact token count of a text, when known. */
  tokenCount?: { text: string; count: number };
  /** JSON-schema output parses and has the required property. Default: when capabilities.structuredOutput is not 'none'. */
  jsonOutput?: boolean;
  /** Token budget for the JSON answer (a model that rambles inside a string needs more). Default 128. */
  jsonMaxNewTokens?: number;
  /** The model calls a tool when the tool choice requires one. Default false (models may not). */
  callsTools?: boolean;
}

export interface LanguageModelFixture {
  model: LanguageModelV1;
  dispose(): Promise<void>;
  expectations?: LanguageModelExpectations;
}

const snakeCase = /^[a-z][a-z0-9_]*$/;

function promptOf(type: 'text' | 'chat', text = 'Say hello to the conformance suite.'): LanguageModelPrompt {
  return type === 'text'
    ? { type: 'text', text }
    : { type: 'chat', messages: [{ role: 'user', content: text }] };
}

async function collectParts(stream: AsyncIterable<StreamPart>): Promise<StreamPart[]> {
  const parts: StreamPart[] = [];
  for await (const part of stream) parts.push(part);
  return parts;
}

function textOf(parts: StreamPart[]): string {
  return parts.map((part) => (part.type === 'text-delta' ? part.text : '')).join('');
}

function finishOf(parts: StreamPart[]): Extract<StreamPart, { type: 'finish' }> {
  const last = parts.at(-1);
  if (last?.type === 'error') throw last.error;
  expect(last?.type).toBe('finish');
  return last as Extract<StreamPart, { type: 'finish' }>;
}

function expectUsage(
  usage: { inputTokens: number; outputTokens: number },
  reportsInput: boolean,
  produced: boolean,
) {
  expect(Number.isInteger(usage.inputTokens) && usage.inputTokens >= 0).toBe(true);
  expect(Number.isInteger(usage.outputTokens) && usage.outputTokens >= 0).toBe(true);
  if (reportsInput) expect(usage.inputTokens).toBeGreaterThan(0);
  if (produced) expect(usage.outputTokens).toBeGreaterThan(0);
}

function expectWellFormedWarnings(warnings: CallWarning[]) {
  expect(Array.isArray(warnings)).toBe(true);
  const settings = new Set<string>();
  for (const warning of warnings) {
    expect(['unsupported-setting', 'other']).toContain(warning.type);
    expect(typeof warning.message).toBe('string');
    expect(warning.message.length).toBeGreaterThan(0);
    if (warning.type === 'unsupported-setting') {
      expect(warning.setting).toMatch(snakeCase);
      expect(settings.has(warning.setting!)).toBe(false);
      settings.add(warning.setting!);
    }
  }
}

async function caught(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}

export function runLanguageModelSuite(name: string, makeModel: () => Promise<LanguageModelFixture>): void {
  describe(`language-model conformance: ${name}`, () => {
    let fixture: LanguageModelFixture;
    let model: LanguageModelV1;
    let expectations: LanguageModelExpectations;
    let promptTypes: ('text' | 'chat')[];
    let maxNewTokens: number;

    beforeAll(async () => {
      fixture = await makeModel();
      model = fixture.model;
      expectations = fixture.expectations ?? {};
      promptTypes = expectations.promptTypes ?? ['text', 'chat'];
      maxNewTokens = expectations.maxNewTokens ?? 24;
    });
    afterAll(async () => {
      await fixture?.dispose();
    });

    const call = (
      type: 'text' | 'chat',
      parameters: GenerationParameters = {},
    ): LanguageModelCallOptions => ({
      prompt: promptOf(type),
      parameters: { decodingMethod: 'greedy', maxNewTokens, ...parameters },
    });

    it('identifies itself and its capabilities', async () => {
      expect(model.specificationVersion).toBe('v1');
      expect(model.provider).toMatch(/^[a-z][a-z0-9-]*$/);
      expect(typeof model.modelId).toBe('string');
      expect(model.modelId.length).toBeGreaterThan(0);
      expect(typeof model.capabilities.tools).toBe('boolean');
      expect(typeof model.capabilities.tokenize).toBe('boolean');
      expect(['grammar', 'native', 'none']).toContain(model.capabilities.structuredOutput);
      const contextLength = await model.contextLength();
      if (contextLength !== undefined)
        expect(Number.isInteger(contextLength) && contextLength > 0).toBe(true);
    });

    for (const type of ['text', 'chat'] as const) {
      it(`generates from a ${type} prompt`, async () => {
        if (!promptTypes.includes(type)) return;
        const result = await model.doGenerate(call(type));
        expect(typeof result.text).toBe('string');
        if (expectations.replyText !== undefined) {
          expect(result.text).toBe(expectations.replyText);
          expect(result.finishReason).toBe('eos_token');
        } else {
          expect(['eos_token', 'max_tokens', 'stop_sequence', 'token_limit']).toContain(result.finishReason);
        }
        expectUsage(result.usage, expectations.reportsInputTokens ?? true, result.text.length > 0);
        expect(result.usage.outputTokens).toBeLessThanOrEqual(maxNewTokens);
        expectWellFormedWarnings(result.warnings);
      });

      it(`streams a ${type} prompt as deltas, then exactly one finish with usage`, async () => {
        if (!promptTypes.includes(type)) return;
        const { stream, warnings } = await model.doStream(call(type));
        expectWellFormedWarnings(warnings);
        const parts = await collectParts(stream);
        const finishes = parts.filter((part) => part.type === 'finish');
        expect(parts.filter((part) => part.type === 'error')).toEqual([]);
        expect(finishes).toHaveLength(1);
        expect(parts.at(-1)).toBe(finishes[0]);
        for (const part of parts.slice(0, -1)) {
          expect(['text-delta', 'tool-call']).toContain(part.type);
          if (part.type === 'text-delta') expect(part.text.length).toBeGreaterThan(0);
        }
        const finish = finishOf(parts);
        const text = textOf(parts);
        expectUsage(finish.usage, expectations.reportsInputTokens ?? true, text.length > 0);
        if (expectations.replyText !== undefined) {
          expect(text).toBe(expectations.replyText);
          expect(finish.finishReason).toBe('eos_token');
        }
        if (expectations.deterministicGreedy ?? true) {
          const generated = await model.doGenerate(call(type));
          expect(text).toBe(generated.text);
        }
      });
    }

    it('stops at a stop sequence and leaves it out of the text', async () => {
      if (!(expectations.deterministicGreedy ?? true)) return;
      const type = promptTypes[0]!;
      const base = await model.doGenerate(call(type));
      const words = base.text.split(/\s+/).filter((word) => word.length >= 2);
      const stop = words[Math.floor(words.length / 2)];
      if (!stop) return; // The answer is too short to cut.
      const expected = base.text.slice(0, base.text.indexOf(stop));
      const result = await model.doGenerate(call(type, { stopSequences: [stop] }));
      expect(result.text).toBe(expected);
      expect(result.text).not.toContain(stop);
      if (expectations.reportsStopSequence) expect(result.finishReason).toBe('stop_sequence');
      else expect(['stop_sequence', 'eos_token']).toContain(result.finishReason);
      const streamed = await model.doStream(call(type, { stopSequences: [stop] }));
      const parts = await collectParts(streamed.stream);
      expect(textOf(parts)).toBe(expected);
      expect(finishOf(parts).finishReason).toBe(result.finishReason);

      // Keeping the stop sequence is honoured, or it is reported as unsupported.
      const kept = await model.doGenerate(call(type, { stopSequences: [stop], includeStopSequence: true }));
      if (!kept.warnings.some((warning) => warning.setting === 'include_stop_sequence')) {
        expect(kept.text).toBe(expected + stop);
      }
    });

    it('honours max_new_tokens', async () => {
      const type = promptTypes[0]!;
      const result = await model.doGenerate(call(type, { maxNewTokens: 2 }));
      expect(result.usage.outputTokens).toBeLessThanOrEqual(2);
      expect(['max_tokens', 'eos_token', 'stop_sequence']).toContain(result.finishReason);
      if (expectations.replyText !== undefined && expectations.replyText.split(/\s+/).length > 2) {
        expect(result.finishReason).toBe('max_tokens');
        expect(expectations.replyText.startsWith(result.text)).toBe(true);
      }
      const parts = await collectParts((await model.doStream(call(type, { maxNewTokens: 2 }))).stream);
      const finish = finishOf(parts);
      expect(finish.usage.outputTokens).toBeLessThanOrEqual(2);
      expect(finish.finishReason).toBe(result.finishReason);
    });

    it('ends a stream promptly with `cancelled` when aborted mid-stream', async () => {
      const slow = expectations.slowStream?.model ?? model;
      const controller = new AbortController();
      const { stream } = await slow.doStream({
        prompt: promptOf(promptTypes[0]!),
        parameters: expectations.slowStream?.parameters ?? { maxNewTokens: 512 },
        abortSignal: controller.signal,
      });
      const parts: StreamPart[] = [];
      let abortedAt = 0;
      for await (const part of stream) {
        parts.push(part);
        if (part.type === 'text-delta' && abortedAt === 0) {
          abortedAt = performance.now();
          controller.abort();
        }
      }
      const elapsed = performance.now() - abortedAt;
      expect(abortedAt).toBeGreaterThan(0);
      expect(elapsed).toBeLessThan(expectations.abortWithinMs ?? 1000);
      const last = parts.at(-1);
      expect(last?.type).toBe('finish');
      expect((last as Extract<StreamPart, { type: 'finish' }>).finishReason).toBe('cancelled');
      expect(parts.filter((part) => part.type === 'finish')).toHaveLength(1);
    });

    it('stops generating when the consumer breaks out, and stays usable', async () => {
      const slow = expectations.slowStream?.model ?? model;
      const { stream } = await slow.doStream({
        prompt: promptOf(promptTypes[0]!),
        parameters: expectations.slowStream?.parameters ?? { maxNewTokens: 512 },
      });
      const started = performance.now();
      for await (const part of stream) {
        if (part.type === 'text-delta') break;
      }
      expect(performance.now() - started).toBeLessThan(expectations.abortWithinMs ?? 1000);
      const again = await model.doGenerate(call(promptTypes[0]!, { maxNewTokens: 2 }));
      expect(typeof again.text).toBe('string');
    });

    it('rejects or cancels a call whose signal is already aborted', async () => {
      const controller = new AbortController();
      controller.abort();
      const options = { ...call(promptTypes[0]!), abortSignal: controller.signal };
      // Either is fine: nothing was generated, and the caller is told so.
      let generated: GenerateResult | undefined;
      const generateError = await caught(
        model.doGenerate(options).then((result) => {
          generated = result;
        }),
      );
      if (generateError !== undefined) {
        expect(generateError).toBeInstanceOf(KeelError);
        expect((generateError as KeelError).code).toBe('client_closed');
      } else {
        expect(generated!.finishReason).toBe('cancelled');
        expect(generated!.text).toBe('');
      }
      let streamed: Awaited<ReturnType<LanguageModelV1['doStream']>> | undefined;
      const streamError = await caught(
        model.doStream(options).then((result) => {
          streamed = result;
        }),
      );
      if (streamError !== undefined) {
        expect(streamError).toBeInstanceOf(KeelError);
        expect((streamError as KeelError).code).toBe('client_closed');
      } else {
        const parts = await collectParts(streamed!.stream);
        expect(parts.filter((part) => part.type === 'text-delta')).toEqual([]);
        expect(finishOf(parts).finishReason).toBe('cancelled');
      }
    });

    it('answers every watsonx setting, with well-formed warnings for what it cannot honour', async () => {
      const everything: GenerationParameters = {
        decodingMethod: 'sample',
        temperature: 0.7,
        topK: 20,
        topP: 0.9,
        randomSeed: 42,
        maxNewTokens: 4,
        minNewTokens: 1,
        stopSequences: ['\n\n\n'],
        includeStopSequence: true,
        repetitionPenalty: 1.1,
        truncateInputTokens: 512,
        presencePenalty: 0.1,
        frequencyPenalty: 0.1,
        timeLimitMs: 60_000,
      };
      for (const type of promptTypes) {
        const result = await model.doGenerate({ prompt: promptOf(type), parameters: everything });
        expectWellFormedWarnings(result.warnings);
        // The service layer enforces time limits for every provider; adapters do not warn about them.
        expect(result.warnings.map((warning) => warning.setting)).not.toContain('time_limit');
        const streamed = await model.doStream({ prompt: promptOf(type), parameters: everything });
        expectWellFormedWarnings(streamed.warnings);
        expect(streamed.warnings).toEqual(result.warnings);
        finishOf(await collectParts(streamed.stream));
      }
      for (const { parameters, settings } of expectations.unsupported ?? []) {
        const result = await model.doGenerate({ prompt: promptOf(promptTypes[0]!), parameters });
        const warned = result.warnings.map((warning) => warning.setting);
        for (const setting of settings) expect(warned).toContain(setting);
      }
    });

    it('counts tokens exactly, or says it cannot', async () => {
      if (!model.capabilities.tokenize) {
        const error = await caught(model.tokenize('Hello world'));
        expect(error).toBeInstanceOf(KeelError);
        expect((error as KeelError).code).toBe('not_implemented');
        return;
      }
      const result = await model.tokenize('Hello world, 안녕하세요');
      expect(result.tokens.length).toBeGreaterThan(0);
      for (const token of result.tokens) expect(Number.isInteger(token)).toBe(true);
      if (result.strings) expect(result.strings).toHaveLength(result.tokens.length);
      if (expectations.tokenCount) {
        const counted = await model.tokenize(expectations.tokenCount.text);
        expect(counted.tokens).toHaveLength(expectations.tokenCount.count);
      }
    });

    it('produces JSON that follows a schema when asked', async () => {
      if (!(expectations.jsonOutput ?? model.capabilities.structuredOutput !== 'none')) return;
      const type = promptTypes.includes('chat') ? 'chat' : 'text';
      const result: GenerateResult = await model.doGenerate({
        prompt: promptOf(type, 'Answer in JSON.'),
        parameters: { decodingMethod: 'greedy', maxNewTokens: expectations.jsonMaxNewTokens ?? 128 },
        responseFormat: {
          type: 'json',
          name: 'answer',
          schema: { type: 'object', properties: { answer: { type: 'string' } }, required: ['answer'] },
        },
      });
      expect(result.finishReason, 'the JSON answer ran out of tokens').not.toBe('max_tokens');
      const parsed = JSON.parse(result.text) as Record<string, unknown>;
      expect(typeof parsed.answer).toBe('string');
    });

    it('calls a tool when one is required', async () => {
      if (!expectations.callsTools || !model.capabilities.tools || !promptTypes.includes('chat')) return;
      const options: LanguageModelCallOptions = {
        prompt: promptOf('chat', 'What is the weather in Seoul?'),
        tools: [
          {
            name: 'get_weather',
            description: 'The weather in a city',
            parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
          },
        ],
        toolChoice: 'required',
      };
      const result = await model.doGenerate(options);
      expect(result.finishReason).toBe('tool_calls');
      expect(result.toolCalls?.[0]?.name).toBe('get_weather');
      expect(() => JSON.parse(result.toolCalls![0]!.arguments)).not.toThrow();
      const parts = await collectParts((await model.doStream(options)).stream);
      const calls = parts.filter((part) => part.type === 'tool-call');
      expect(calls).toHaveLength(1);
      expect(finishOf(parts).finishReason).toBe('tool_calls');
    });

    it('fails with KeelErrors carrying mapped codes', async () => {
      for (const failure of expectations.failures ?? []) {
        const options: LanguageModelCallOptions = {
          prompt: failure.prompt ?? promptOf(promptTypes[0]!),
          parameters: { maxNewTokens: 8 },
        };
        if (failure.generate ?? true) {
          const error = await caught(failure.model.doGenerate(options));
          expect(error, `${failure.name}: doGenerate`).toBeInstanceOf(KeelError);
          expect((error as KeelError).code, `${failure.name}: doGenerate`).toBe(failure.code);
          expect((error as KeelError).message.length).toBeGreaterThan(0);
          expect(() => JSON.stringify(error)).not.toThrow();
        }
        let streamResult: Awaited<ReturnType<LanguageModelV1['doStream']>> | undefined;
        const thrown = await caught(
          failure.model.doStream(options).then((result) => {
            streamResult = result;
          }),
        );
        const stage = failure.streamStage ?? 'either';
        if (thrown !== undefined) {
          expect(stage, `${failure.name}: doStream threw`).not.toBe('stream');
          expect(thrown).toBeInstanceOf(KeelError);
          expect((thrown as KeelError).code, `${failure.name}: doStream`).toBe(failure.code);
          continue;
        }
        expect(stage, `${failure.name}: doStream returned a stream`).not.toBe('call');
        const parts = await collectParts(streamResult!.stream);
        const last = parts.at(-1);
        expect(last?.type, `${failure.name}: last part`).toBe('error');
        const error = (last as Extract<StreamPart, { type: 'error' }>).error;
        expect(error).toBeInstanceOf(KeelError);
        expect(error.code, `${failure.name}: error part`).toBe(failure.code);
        expect(parts.filter((part) => part.type === 'finish')).toEqual([]);
      }
    });
  });
}
