import { describe, expect, it } from 'vitest';
import type { GenerationParameters, LanguageModelCallOptions } from '../../../spec/language-model.js';
import {
  buildOllamaRequest,
  fromOllamaToolCalls,
  toFinishReason,
  toOllamaMessages,
} from './ollama-request.js';

const chat = (parameters: GenerationParameters = {}): LanguageModelCallOptions => ({
  prompt: { type: 'chat', messages: [{ role: 'user', content: 'Hi' }] },
  parameters,
});
const build = (options: LanguageModelCallOptions, stream = false) =>
  buildOllamaRequest({ modelId: 'granite3.3:2b', options, providerName: 'local', stream });

describe('buildOllamaRequest', () => {
  it('puts sampling settings in options under Ollama names', () => {
    const { body, warnings, seed } = build(
      chat({
        decodingMethod: 'sample',
        temperature: 0.8,
        topP: 0.9,
        topK: 40,
        randomSeed: 11,
        maxNewTokens: 64,
        stopSequences: ['END'],
        repetitionPenalty: 1.1,
        presencePenalty: 0.2,
        frequencyPenalty: 0.3,
      }),
    );
    expect(body.options).toEqual({
      temperature: 0.8,
      top_p: 0.9,
      top_k: 40,
      seed: 11,
      num_predict: 64,
      stop: ['END'],
      repeat_penalty: 1.1,
      presence_penalty: 0.2,
      frequency_penalty: 0.3,
    });
    expect(warnings).toEqual([]);
    expect(seed).toBe(11);
  });

  it('maps greedy to temperature 0 without top_p / top_k', () => {
    expect(build(chat({ decodingMethod: 'greedy', topK: 3, topP: 0.1 })).body.options).toEqual({
      temperature: 0,
    });
  });

  it('warns about min_new_tokens, truncate_input_tokens and keeping the stop sequence', () => {
    const { warnings, body } = build(
      chat({ minNewTokens: 3, truncateInputTokens: 100, stopSequences: ['x'], includeStopSequence: true }),
    );
    expect(warnings.map((warning) => warning.setting)).toEqual([
      'min_new_tokens',
      'include_stop_sequence',
      'truncate_input_tokens',
    ]);
    expect(JSON.stringify(body)).not.toContain('100');
  });

  it('sends chat prompts to /api/chat and text prompts raw to /api/generate', () => {
    expect(build(chat(), true)).toMatchObject({
      endpoint: 'chat',
      body: { model: 'granite3.3:2b', stream: true },
    });
    const generate = build({ prompt: { type: 'text', text: 'Once' } });
    expect(generate.endpoint).toBe('generate');
    expect(generate.body).toMatchObject({ prompt: 'Once', raw: true, stream: false });
  });

  it('passes tools; honours tool choice "none" by leaving them out; warns about a forced choice', () => {
    const tools = [{ name: 'weather', parameters: { type: 'object' } }];
    const auto = build({ ...chat(), tools });
    expect(auto.body.tools).toEqual([
      { type: 'function', function: { name: 'weather', parameters: { type: 'object' } } },
    ]);
    expect(auto.warnings).toEqual([]);
    const none = build({ ...chat(), tools, toolChoice: 'none' });
    expect(none.body).not.toHaveProperty('tools');
    expect(none.warnings).toEqual([]);
    const forced = build({ ...chat(), tools, toolChoice: { name: 'weather' } });
    expect(forced.body.tools).toBeDefined();
    expect(forced.warnings.map((warning) => warning.setting)).toEqual(['tool_choice']);
    const onText = build({ prompt: { type: 'text', text: 'x' }, tools });
    expect(onText.warnings.map((warning) => warning.setting)).toEqual(['tools']);
  });

  it('asks for JSON with `format`: the schema, or "json"', () => {
    const schema = { type: 'object' };
    expect(build({ ...chat(), responseFormat: { type: 'json', schema } }).body.format).toEqual(schema);
    expect(build({ ...chat(), responseFormat: { type: 'json' } }).body.format).toBe('json');
  });

  it('puts vendor options beside or inside `options` as Ollama expects', () => {
    const { body } = build({
      ...chat({ maxNewTokens: 5 }),
      providerOptions: { ollama: { num_ctx: 8192, keep_alive: '10m' }, local: { think: false } },
    });
    expect(body).toMatchObject({
      keep_alive: '10m',
      think: false,
      options: { num_ctx: 8192, num_predict: 5 },
    });
  });
});

describe('Ollama messages and results', () => {
  it('names the tool a result belongs to and sends arguments as objects', () => {
    expect(
      toOllamaMessages([
        {
          role: 'assistant',
          content: '',
          toolCalls: [{ id: 'c1', name: 'weather', arguments: '{"city":"Seoul"}' }],
        },
        { role: 'tool', content: '21°C', toolCallId: 'c1' },
      ]),
    ).toEqual([
      {
        role: 'assistant',
        content: '',
        tool_calls: [{ function: { name: 'weather', arguments: { city: 'Seoul' } } }],
      },
      { role: 'tool', content: '21°C', tool_name: 'weather' },
    ]);
  });

  it('reads tool calls with object arguments as JSON text', () => {
    expect(fromOllamaToolCalls([{ function: { name: 'weather', arguments: { city: 'Seoul' } } }])).toEqual([
      { id: 'call_0', name: 'weather', arguments: '{"city":"Seoul"}' },
    ]);
  });

  it('maps done_reason', () => {
    expect(toFinishReason('stop', false)).toBe('eos_token');
    expect(toFinishReason('length', false)).toBe('max_tokens');
    expect(toFinishReason('stop', true)).toBe('tool_calls');
  });
});
