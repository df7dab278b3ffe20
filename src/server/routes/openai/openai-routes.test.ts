import OpenAI, { type APIError } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeelError } from '../../../core/errors.js';
import { createEchoProvider } from '../../../testing/echo-provider.js';
import { createTestKeel, type TestKeel } from '../../../testing/test-keel.js';
import { type ListeningServer, listen } from '../../listen.js';

let keel: TestKeel;
let server: ListeningServer;
let client: OpenAI;

beforeAll(async () => {
  keel = await createTestKeel({
    providers: [
      createEchoProvider(),
      createEchoProvider({
        name: 'broken',
        failOn: {
          text: 'boom',
          error: new KeelError(
            'upstream_unavailable',
            'Provider broken at http://127.0.0.1:9 is unreachable.',
          ),
        },
      }),
    ],
  });
  server = await listen(keel.app);
  client = new OpenAI({ apiKey: keel.adminKey, baseURL: `${server.url}/v1`, maxRetries: 0 });
});
afterAll(async () => {
  await server?.close();
  await keel?.close();
});

describe('OpenAI-compatible API through the official openai SDK', () => {
  it('lists models', async () => {
    const page = await client.models.list();
    expect(page.data.map((model) => model.id)).toEqual(
      expect.arrayContaining(['echo:reverse', 'echo:embed']),
    );
    const one = await client.models.retrieve('echo:reverse');
    expect(one.owned_by).toBe('echo');
  });

  it('completes a chat', async () => {
    const completion = await client.chat.completions.create({
      model: 'echo:reverse',
      messages: [
        { role: 'system', content: 'be brief' },
        { role: 'user', content: 'alpha beta gamma' },
      ],
      seed: 7,
    });
    expect(completion.choices[0]!.message.content).toBe('gamma beta alpha');
    expect(completion.choices[0]!.finish_reason).toBe('stop');
    expect(completion.usage).toMatchObject({ prompt_tokens: 3, completion_tokens: 3, total_tokens: 6 });
  });

  it('streams a chat with usage at the end', async () => {
    const stream = await client.chat.completions.create({
      model: 'echo:reverse',
      messages: [{ role: 'user', content: '하나 둘 셋' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let finish: string | null = null;
    let usage: OpenAI.CompletionUsage | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
      usage = chunk.usage ?? usage;
    }
    expect(text).toBe('셋 둘 하나');
    expect(finish).toBe('stop');
    expect(usage?.completion_tokens).toBe(3);
  });

  it('maps max_tokens to length and stop to stop sequences', async () => {
    const long = await client.chat.completions.create({
      model: 'echo:reverse',
      messages: [{ role: 'user', content: 'a b c d e f' }],
      max_tokens: 2,
    });
    expect(long.choices[0]!.message.content).toBe('f e');
    expect(long.choices[0]!.finish_reason).toBe('length');
    const stopped = await client.chat.completions.create({
      model: 'echo:reverse',
      messages: [{ role: 'user', content: 'a b c d' }],
      stop: ['b'],
    });
    expect(stopped.choices[0]!.message.content).toBe('d c');
  });

  it('passes tools through and returns tool calls', async () => {
    const completion = await client.chat.completions.create({
      model: 'echo:reverse',
      messages: [{ role: 'user', content: 'weather in Seoul' }],
      tools: [
        {
          type: 'function',
          function: {
            name: 'get_weather',
            parameters: { type: 'object', properties: { city: { type: 'string' } } },
          },
        },
      ],
      tool_choice: { type: 'function', function: { name: 'get_weather' } },
    });
    expect(completion.choices[0]!.finish_reason).toBe('tool_calls');
    const call = completion.choices[0]!.message.tool_calls![0]!;
    expect(call.type === 'function' && call.function.name).toBe('get_weather');
  });

  it('reports unsupported settings as warnings, not errors', async () => {
    const completion = (await client.chat.completions.create({
      model: 'echo:reverse',
      messages: [{ role: 'user', content: 'x' }],
      logprobs: true,
    })) as OpenAI.ChatCompletion & { warnings?: { setting: string }[] };
    expect(completion.warnings?.map((warning) => warning.setting)).toContain('logprobs');
  });

  it('creates legacy completions, with n choices and an array of prompts', async () => {
    const completion = await client.completions.create({
      model: 'echo:reverse',
      prompt: ['one two', 'three four'],
      n: 2,
    });
    expect(completion.choices.map((choice) => choice.text)).toEqual([
      'two one',
      'two one',
      'four three',
      'four three',
    ]);
    const stream = await client.completions.create({ model: 'echo:reverse', prompt: 'x y z', stream: true });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.text ?? '';
    expect(text).toBe('z y x');
  });

  it('returns embeddings as base64 float32 (SDK default) and as floats', async () => {
    const viaSdk = await client.embeddings.create({
      model: 'echo:embed',
      input: ['abc', 'ABC 123', '한글', 'x', 'y'],
    });
    expect(viaSdk.data).toHaveLength(5);
    expect(viaSdk.data[0]!.embedding).toHaveLength(4);
    expect(viaSdk.data[0]!.embedding[0]).toBeCloseTo(1);
    expect(viaSdk.data[2]!.embedding[3]).toBeCloseTo(1);
    const floats = await client.embeddings.create({
      model: 'echo:embed',
      input: 'ABC',
      encoding_format: 'float',
    });
    expect(floats.data[0]!.embedding[1]).toBeCloseTo(1);
  });

  it('surfaces errors as OpenAI API errors with Keel codes', async () => {
    const missing = await client.chat.completions
      .create({ model: 'echo:nope', messages: [{ role: 'user', content: 'x' }] })
      .catch((error: unknown) => error);
    expect(missing).toBeInstanceOf(OpenAI.NotFoundError);
    expect((missing as APIError).code).toBe('model_not_found');
    const down = await client.chat.completions
      .create({ model: 'broken:reverse', messages: [{ role: 'user', content: 'boom' }] })
      .catch((error: unknown) => error);
    expect((down as APIError).status).toBe(502);
    expect((down as APIError).message).toContain('broken');
    const unauthorised = await new OpenAI({
      apiKey: 'keel_wrong-wrong-wrong-wrong',
      baseURL: `${server.url}/v1`,
      maxRetries: 0,
    }).models
      .list()
      .catch((error: unknown) => error);
    expect(unauthorised).toBeInstanceOf(OpenAI.AuthenticationError);
  });
});
