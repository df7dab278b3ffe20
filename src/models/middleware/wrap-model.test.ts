import { describe, expect, it } from 'vitest';
import type { StreamPart } from '../../spec/language-model.js';
import { createEchoProvider } from '../../testing/echo-provider.js';
import { ProviderRegistry } from '../provider-registry.js';
import type { ModelMiddleware } from './model-middleware.js';

function tracer(name: string, log: string[]): ModelMiddleware {
  return {
    name,
    async wrapGenerate({ doGenerate }) {
      log.push(`${name}>`);
      const result = await doGenerate();
      log.push(`<${name}`);
      return result;
    },
    async wrapEmbed({ options, doEmbed }) {
      log.push(`${name}:${options.context?.projectId ?? '-'}`);
      return doEmbed();
    },
  };
}

describe('registry middleware', () => {
  it('wraps every model it hands out, outermost first; use() adds innermost or before a named one', async () => {
    const log: string[] = [];
    const registry = new ProviderRegistry([createEchoProvider()], { middleware: [tracer('a', log)] });
    registry.use(tracer('c', log));
    registry.use(tracer('b', log), { before: 'c' });
    await registry.languageModel('echo:reverse').doGenerate({ prompt: { type: 'text', text: 'abc' } });
    expect(log).toEqual(['a>', 'b>', 'c>', '<c', '<b', '<a']);
    expect(() => registry.use(tracer('d', log), { before: 'nope' })).toThrow(/No model middleware/);
  });

  it('lets middleware change the options the rest of the chain sees', async () => {
    const registry = new ProviderRegistry([createEchoProvider()], {
      middleware: [
        {
          name: 'rewrite',
          wrapStream: ({ options, doStream }) =>
            doStream({ ...options, prompt: { type: 'text', text: 'xyz' } }),
        },
      ],
    });
    const { stream } = await registry
      .languageModel('echo:reverse')
      .doStream({ prompt: { type: 'text', text: 'abc' } });
    let text = '';
    for await (const part of stream as AsyncIterable<StreamPart>)
      if (part.type === 'text-delta') text += part.text;
    expect(text).not.toContain('abc');
  });

  it('passes the call context to embedding middleware', async () => {
    const log: string[] = [];
    const registry = new ProviderRegistry([createEchoProvider()], { middleware: [tracer('m', log)] });
    const model = registry.embeddingModel('echo:embed');
    await model.doEmbed({ values: ['x'], context: { projectId: 'prj_1', keyId: null, endpoint: 'test' } });
    expect(log).toEqual(['m:prj_1']);
  });
});
