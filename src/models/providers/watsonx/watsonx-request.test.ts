import { describe, expect, it } from 'vitest';
import type { GenerationParameters, LanguageModelCallOptions } from '../../../spec/language-model.js';
import { buildWatsonxRequest, scopeFields, toStopReason } from './watsonx-request.js';

const scope = { project_id: 'p1' };
const text = (parameters: GenerationParameters = {}): LanguageModelCallOptions => ({
  prompt: { type: 'text', text: 'Summarise:' },
  parameters,
});
const chat = (parameters: GenerationParameters = {}): LanguageModelCallOptions => ({
  prompt: { type: 'chat', messages: [{ role: 'user', content: 'Hi' }] },
  parameters,
});
const build = (options: LanguageModelCallOptions) =>
  buildWatsonxRequest({ modelId: 'ibm/granite-3-8b-instruct', options, scope, providerName: 'watsonx' });

describe('watsonx text generation', () => {
  it('passes every watsonx parameter natively, in snake_case', () => {
    const { body, warnings, endpoint, seed } = build(
      text({
        decodingMethod: 'sample',
        temperature: 0.7,
        topK: 50,
        topP: 0.9,
        randomSeed: 42,
        maxNewTokens: 100,
        minNewTokens: 5,
        stopSequences: ['\n\n'],
        includeStopSequence: true,
        repetitionPenalty: 1.05,
        truncateInputTokens: 2000,
        timeLimitMs: 10_000,
      }),
    );
    expect(endpoint).toBe('generation');
    expect(body).toEqual({
      model_id: 'ibm/granite-3-8b-instruct',
      input: 'Summarise:',
      project_id: 'p1',
      parameters: {
        decoding_method: 'sample',
        temperature: 0.7,
        top_p: 0.9,
        top_k: 50,
        random_seed: 42,
        max_new_tokens: 100,
        min_new_tokens: 5,
        stop_sequences: ['\n\n'],
        include_stop_sequence: true,
        repetition_penalty: 1.05,
        truncate_input_tokens: 2000,
        time_limit: 10_000,
      },
    });
    expect(warnings).toEqual([]);
    expect(seed).toBe(42);
  });

  it('drops the matched stop sequence unless asked to keep it (Keel default; watsonx keeps it)', () => {
    expect(build(text({ stopSequences: ['x'] })).body.parameters).toMatchObject({
      include_stop_sequence: false,
    });
  });

  it('samples when sampling settings come without a decoding method, and sends nothing extra under greedy', () => {
    expect(build(text({ temperature: 0.5 })).body.parameters).toEqual({
      decoding_method: 'sample',
      temperature: 0.5,
    });
    expect(build(text({ decodingMethod: 'greedy', temperature: 0.5, topK: 3 })).body.parameters).toEqual({
      decoding_method: 'greedy',
    });
    expect(build(text()).body).not.toHaveProperty('parameters');
  });

  it('warns about the OpenAI penalties, tools and JSON output', () => {
    const { warnings } = build({
      ...text({ presencePenalty: 0.1, frequencyPenalty: 0.2 }),
      tools: [{ name: 't', parameters: {} }],
      responseFormat: { type: 'json' },
    });
    expect(warnings.map((warning) => warning.setting)).toEqual([
      'presence_penalty',
      'frequency_penalty',
      'tools',
      'response_format',
    ]);
  });

  it('sends vendor options as parameters, moderations beside them', () => {
    const { body } = build({
      ...text({ maxNewTokens: 3 }),
      providerOptions: {
        watsonx: { length_penalty: { decay_factor: 2 }, moderations: { hap: { input: true } } },
      },
    });
    expect(body).toMatchObject({
      moderations: { hap: { input: true } },
      parameters: { max_new_tokens: 3, length_penalty: { decay_factor: 2 } },
    });
  });
});

describe('watsonx chat', () => {
  it('maps to the OpenAI-shaped chat body', () => {
    const { body, warnings, endpoint } = build(
      chat({
        decodingMethod: 'greedy',
        maxNewTokens: 64,
        stopSequences: ['END'],
        repetitionPenalty: 1.1,
        presencePenalty: 0.2,
        frequencyPenalty: 0.3,
        randomSeed: 5,
        timeLimitMs: 5000,
      }),
    );
    expect(endpoint).toBe('chat');
    expect(body).toEqual({
      model_id: 'ibm/granite-3-8b-instruct',
      messages: [{ role: 'user', content: 'Hi' }],
      project_id: 'p1',
      temperature: 0,
      seed: 5,
      max_tokens: 64,
      stop: ['END'],
      repetition_penalty: 1.1,
      time_limit: 5000,
      presence_penalty: 0.2,
      frequency_penalty: 0.3,
    });
    expect(warnings).toEqual([]);
  });

  it('warns about what chat lacks', () => {
    const { warnings } = build(
      chat({
        decodingMethod: 'sample',
        topK: 5,
        minNewTokens: 2,
        truncateInputTokens: 10,
        stopSequences: ['x'],
        includeStopSequence: true,
      }),
    );
    expect(warnings.map((warning) => warning.setting)).toEqual([
      'top_k',
      'min_new_tokens',
      'include_stop_sequence',
      'truncate_input_tokens',
    ]);
  });

  it('sends a string tool choice as tool_choice_option and a named one as tool_choice', () => {
    const tools = [{ name: 'weather', parameters: { type: 'object' } }];
    const required = build({ ...chat(), tools, toolChoice: 'required' });
    expect(required.body.tool_choice_option).toBe('required');
    expect(required.body).not.toHaveProperty('tool_choice');
    const named = build({ ...chat(), tools, toolChoice: { name: 'weather' } });
    expect(named.body.tool_choice).toEqual({ type: 'function', function: { name: 'weather' } });
    expect(named.body).not.toHaveProperty('tool_choice_option');
    expect(named.body.tools).toEqual([
      { type: 'function', function: { name: 'weather', parameters: { type: 'object' } } },
    ]);
  });

  it('asks for JSON with response_format', () => {
    const schema = { type: 'object' };
    expect(build({ ...chat(), responseFormat: { type: 'json', schema } }).body.response_format).toEqual({
      type: 'json_schema',
      json_schema: { name: 'response', schema, strict: true },
    });
  });
});

describe('watsonx helpers', () => {
  it('prefers project_id to space_id', () => {
    expect(scopeFields({ projectId: 'p', spaceId: 's' })).toEqual({ project_id: 'p' });
    expect(scopeFields({ spaceId: 's' })).toEqual({ space_id: 's' });
    expect(scopeFields({})).toEqual({});
  });

  it('reads stop reasons case-insensitively', () => {
    expect(toStopReason('MAX_TOKENS')).toBe('max_tokens');
    expect(toStopReason('stop_sequence')).toBe('stop_sequence');
    expect(toStopReason('token_limit')).toBe('token_limit');
    expect(toStopReason('time_limit')).toBe('time_limit');
    expect(toStopReason('eos_token')).toBe('eos_token');
    expect(toStopReason(undefined)).toBe('eos_token');
  });
});
