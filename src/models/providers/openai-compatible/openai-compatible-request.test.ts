import { describe, expect, it } from 'vitest';
import type { GenerationParameters, LanguageModelCallOptions } from '../../../spec/language-model.js';
import { toFinishReason } from '../shared/openai-chat-format.js';
import { dialectPaths, dialects, type OpenAIDialect } from './openai-compatible-dialects.js';
import { buildOpenAIRequest } from './openai-compatible-request.js';

const chat = (parameters: GenerationParameters = {}): LanguageModelCallOptions => ({
  prompt: { type: 'chat', messages: [{ role: 'user', content: 'Hi' }] },
  parameters,
});
const text = (parameters: GenerationParameters = {}): LanguageModelCallOptions => ({
  prompt: { type: 'text', text: 'Once upon a time' },
  parameters,
});

function build(dialect: OpenAIDialect, options: LanguageModelCallOptions, stream = false) {
  return buildOpenAIRequest({ modelId: 'm', options, spec: dialects[dialect], providerName: 'p', stream });
}

const extras: GenerationParameters = {
  decodingMethod: 'sample',
  topK: 40,
  minNewTokens: 5,
  repetitionPenalty: 1.2,
  truncateInputTokens: 300,
  stopSequences: ['END'],
  includeStopSequence: true,
  presencePenalty: 0.3,
  frequencyPenalty: 0.4,
};

describe('buildOpenAIRequest: sampling', () => {
  it('maps greedy decoding to temperature 0 and drops top_p / top_k', () => {
    const { body, warnings, seed } = build(
      'vllm',
      chat({ decodingMethod: 'greedy', temperature: 0.9, topP: 0.5, topK: 5, randomSeed: 7 }),
    );
    expect(body.temperature).toBe(0);
    expect(body).not.toHaveProperty('top_p');
    expect(body).not.toHaveProperty('top_k');
    expect(body.seed).toBe(7);
    expect(seed).toBeUndefined();
    expect(warnings).toEqual([]);
  });

  it('passes sampling settings, the seed, max tokens and stop sequences', () => {
    const { body, seed } = build(
      'openai',
      chat({
        decodingMethod: 'sample',
        temperature: 0.7,
        topP: 0.9,
        randomSeed: 3,
        maxNewTokens: 50,
        stopSequences: ['\n'],
      }),
    );
    expect(body).toMatchObject({ temperature: 0.7, top_p: 0.9, seed: 3, max_tokens: 50, stop: ['\n'] });
    expect(seed).toBe(3);
  });

  it('never sends time_limit or warns about it: the service layer enforces it', () => {
    const { body, warnings } = build('openai', chat({ timeLimitMs: 1000 }));
    expect(JSON.stringify(body)).not.toContain('time');
    expect(warnings).toEqual([]);
  });
});

describe('buildOpenAIRequest: the dialect table', () => {
  it('vLLM takes every watsonx extra natively', () => {
    for (const options of [chat(extras), text(extras)]) {
      const { body, warnings } = build('vllm', options);
      expect(body).toMatchObject({
        top_k: 40,
        min_tokens: 5,
        repetition_penalty: 1.2,
        truncate_prompt_tokens: 300,
        include_stop_str_in_output: true,
        presence_penalty: 0.3,
        frequency_penalty: 0.4,
      });
      expect(warnings).toEqual([]);
    }
  });

  it('plain OpenAI warns about each extra it lacks, by its snake_case watsonx name', () => {
    const { body, warnings } = build('openai', chat(extras));
    expect(warnings.map((warning) => warning.setting).sort()).toEqual([
      'include_stop_sequence',
      'min_new_tokens',
      'repetition_penalty',
      'top_k',
      'truncate_input_tokens',
    ]);
    for (const warning of warnings) {
      expect(warning.type).toBe('unsupported-setting');
      expect(warning.message).toContain('The OpenAI API');
    }
    expect(body).toMatchObject({ presence_penalty: 0.3, frequency_penalty: 0.4, stop: ['END'] });
    expect(body).not.toHaveProperty('top_k');
  });

  it('Azure behaves like OpenAI', () => {
    expect(build('azure', chat(extras)).warnings).toHaveLength(5);
  });

  it('TGI has repetition_penalty on completions only, presence_penalty on chat only', () => {
    const onChat = build('tgi', chat(extras));
    expect(onChat.warnings.map((warning) => warning.setting)).toContain('repetition_penalty');
    expect(onChat.body.presence_penalty).toBe(0.3);
    const onText = build('tgi', text(extras));
    expect(onText.body.repetition_penalty).toBe(1.2);
    expect(onText.warnings.map((warning) => warning.setting)).toContain('presence_penalty');
  });

  it('LM Studio and llama.cpp server call it repeat_penalty and take top_k', () => {
    for (const dialect of ['lmstudio', 'llamacpp-server'] as const) {
      const { body, warnings } = build(dialect, chat(extras));
      expect(body).toMatchObject({ repeat_penalty: 1.2, top_k: 40 });
      expect(warnings.map((warning) => warning.setting).sort()).toEqual([
        'include_stop_sequence',
        'min_new_tokens',
        'truncate_input_tokens',
      ]);
    }
  });

  it('a repetition penalty of 1 (none) costs nothing anywhere', () => {
    expect(build('openai', chat({ repetitionPenalty: 1 })).warnings).toEqual([]);
  });

  it('includeStopSequence matters only with stop sequences', () => {
    expect(build('openai', chat({ includeStopSequence: true })).warnings).toEqual([]);
    expect(build('openai', chat({ includeStopSequence: false, stopSequences: ['x'] })).warnings).toEqual([]);
  });
});

describe('buildOpenAIRequest: prompts, tools and output', () => {
  it('sends chat prompts as messages, with tool calls and tool results', () => {
    const { body, endpoint } = build('openai', {
      prompt: {
        type: 'chat',
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'Weather?', name: 'kim' },
          {
            role: 'assistant',
            content: '',
            toolCalls: [{ id: 'c1', name: 'weather', arguments: '{"city":"Seoul"}' }],
          },
          { role: 'tool', content: '21°C', toolCallId: 'c1' },
        ],
      },
    });
    expect(endpoint).toBe('chat');
    expect(body.messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Weather?', name: 'kim' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 'c1', type: 'function', function: { name: 'weather', arguments: '{"city":"Seoul"}' } },
        ],
      },
      { role: 'tool', content: '21°C', tool_call_id: 'c1' },
    ]);
  });

  it('sends text prompts to completions as `prompt`', () => {
    const { body, endpoint } = build('openai', text());
    expect(endpoint).toBe('completion');
    expect(body.prompt).toBe('Once upon a time');
    expect(body).not.toHaveProperty('messages');
  });

  it('passes tools and tool choice on chat; warns about tools on completions', () => {
    const tools = [{ name: 'weather', description: 'Weather', parameters: { type: 'object' } }];
    const { body } = build('openai', { ...chat(), tools, toolChoice: { name: 'weather' } });
    expect(body.tools).toEqual([
      {
        type: 'function',
        function: { name: 'weather', description: 'Weather', parameters: { type: 'object' } },
      },
    ]);
    expect(body.tool_choice).toEqual({ type: 'function', function: { name: 'weather' } });
    expect(build('openai', { ...chat(), tools, toolChoice: 'required' }).body.tool_choice).toBe('required');
    const onText = build('openai', { ...text(), tools });
    expect(onText.body).not.toHaveProperty('tools');
    expect(onText.warnings.map((warning) => warning.setting)).toEqual(['tools']);
  });

  it('asks for JSON: strict json_schema, json_object, TGI grammar, or a warning', () => {
    const schema = { type: 'object', properties: { a: { type: 'string' } } };
    expect(
      build('openai', { ...chat(), responseFormat: { type: 'json', schema, name: 'thing' } }).body
        .response_format,
    ).toEqual({
      type: 'json_schema',
      json_schema: { name: 'thing', schema, strict: true },
    });
    expect(build('openai', { ...chat(), responseFormat: { type: 'json' } }).body.response_format).toEqual({
      type: 'json_object',
    });
    expect(
      build('tgi', { ...chat(), responseFormat: { type: 'json', schema } }).body.response_format,
    ).toEqual({
      type: 'json',
      value: schema,
    });
    const legacy = build('openai', { ...text(), responseFormat: { type: 'json', schema } });
    expect(legacy.body).not.toHaveProperty('response_format');
    expect(legacy.warnings.map((warning) => warning.setting)).toEqual(['response_format']);
    expect(
      build('vllm', { ...text(), responseFormat: { type: 'json', schema } }).body.response_format,
    ).toMatchObject({
      type: 'json_schema',
    });
  });

  it('asks for usage when streaming', () => {
    expect(build('openai', chat(), true).body).toMatchObject({
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(build('openai', chat(), false).body).not.toHaveProperty('stream');
  });

  it('merges vendor options by adapter type, then by provider name', () => {
    const { body } = build('vllm', {
      ...chat({ maxNewTokens: 5 }),
      providerOptions: {
        'openai-compatible': { min_p: 0.1, max_tokens: 9 },
        p: { min_p: 0.2 },
        ollama: { num_ctx: 1 },
      },
    });
    expect(body).toMatchObject({ min_p: 0.2, max_tokens: 9 });
    expect(body).not.toHaveProperty('num_ctx');
  });
});

describe('toFinishReason', () => {
  it.each([
    ['stop', null, 'eos_token'],
    ['stop', 'END', 'stop_sequence'],
    ['stop', 128001, 'eos_token'],
    ['length', null, 'max_tokens'],
    ['tool_calls', null, 'tool_calls'],
    ['function_call', null, 'tool_calls'],
    ['content_filter', null, 'content_filter'],
    ['time_limit', null, 'time_limit'],
    ['cancelled', null, 'cancelled'],
    [null, null, 'eos_token'],
  ])('%s (stop_reason %s) is %s', (finish, stop, expected) => {
    expect(toFinishReason(finish, stop)).toBe(expected);
  });
});

describe('dialectPaths', () => {
  it('adds /v1 to a server root and keeps a versioned base as it is', () => {
    expect(dialectPaths('vllm', '/', undefined)).toMatchObject({
      models: '/v1/models',
      tokenize: '/tokenize',
      rerank: '/v1/rerank',
    });
    const versioned = dialectPaths('vllm', '/proxy/v1/', undefined);
    expect(versioned.chat('m')).toBe('/proxy/v1/chat/completions');
    expect(versioned.tokenize).toBe('/proxy/tokenize');
    expect(dialectPaths('openai', '/openai/v1', undefined).completion('m')).toBe('/openai/v1/completions');
    expect(dialectPaths('openai', '/', undefined).tokenize).toBeUndefined();
  });

  it('builds Azure deployment paths with api-version', () => {
    const paths = dialectPaths('azure', '/openai', { apiVersion: '2024-10-21' });
    expect(paths.chat('gpt-4o')).toBe('/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21');
    expect(paths.embeddings('emb')).toBe('/openai/deployments/emb/embeddings?api-version=2024-10-21');
    const fixed = dialectPaths('azure', '/', { apiVersion: '2024-10-21', deployment: 'prod' });
    expect(fixed.chat('anything')).toBe('/openai/deployments/prod/chat/completions?api-version=2024-10-21');
  });
});
