import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEchoProvider } from '../../testing/echo-provider.js';
import { ProviderRegistry } from '../provider-registry.js';
import { OtlpExporter } from './otlp-exporter.js';
import { tracingMiddleware } from './tracing.js';

interface OtlpAttribute {
  key: string;
  value: {
    doubleValue?: number;
    stringValue?: string;
    intValue?: string;
    boolValue?: boolean;
    arrayValue?: { values: { stringValue: string }[] };
  };
}
interface OtlpSpan {
  name: string;
  kind: number;
  traceId: string;
  spanId: string;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: OtlpAttribute[];
  status: { code: number };
}

/** A collector on 127.0.0.1 that records what is POSTed to /v1/traces. */
let collector: Server;
let endpoint: string;
const bodies: string[] = [];
const requests: { path: string; type: string | undefined }[] = [];

beforeAll(async () => {
  collector = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    request.on('end', () => {
      requests.push({ path: request.url ?? '', type: request.headers['content-type'] });
      bodies.push(body);
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => collector.close(resolve));
});

function spans(): OtlpSpan[] {
  return bodies.flatMap((body) =>
    (JSON.parse(body) as { resourceSpans: { scopeSpans: { spans: OtlpSpan[] }[] }[] }).resourceSpans.flatMap(
      (resource) => resource.scopeSpans.flatMap((scope) => scope.spans),
    ),
  );
}

function attributes(span: OtlpSpan): Record<string, unknown> {
  return Object.fromEntries(
    span.attributes.map(({ key, value }) => [
      key,
      value.stringValue ??
        value.intValue ??
        value.doubleValue ??
        value.boolValue ??
        value.arrayValue?.values.map((v) => v.stringValue),
    ]),
  );
}

describe('tracing middleware', () => {
  it('exports GenAI semantic-convention spans over OTLP/HTTP in batches, with no prompt text', async () => {
    const exporter = new OtlpExporter({ endpoint, serviceName: 'keel-test', intervalMs: 50 });
    const registry = new ProviderRegistry([createEchoProvider()], {
      middleware: [tracingMiddleware(exporter)],
    });
    const context = { projectId: 'prj_1', keyId: 'key_1', endpoint: '/v1/chat/completions' };
    const secret = 'my card 4111 1111 1111 1111';
    const model = registry.languageModel('echo:reverse');
    await model.doGenerate({
      prompt: { type: 'chat', messages: [{ role: 'user', content: secret }] },
      parameters: { maxNewTokens: 20, temperature: 0.5 },
      context,
    });
    const { stream } = await model.doStream({ prompt: { type: 'text', text: secret }, context });
    for await (const _part of stream) {
      // drained
    }
    await registry.embeddingModel('echo:embed').doEmbed({ values: [secret], context });
    await exporter.close();

    expect(requests[0]).toEqual({ path: '/v1/traces', type: 'application/json' });
    expect(bodies.join('')).not.toContain('4111');
    const exported = spans();
    expect(exported.map((span) => span.name)).toEqual([
      'chat reverse',
      'text_completion reverse',
      'embeddings embed',
    ]);
    const chat = attributes(exported[0]!);
    expect(chat).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'echo',
      'gen_ai.request.model': 'reverse',
      'gen_ai.request.max_tokens': '20',
      'gen_ai.request.temperature': 0.5,
      'gen_ai.response.finish_reasons': expect.any(Array),
      'keel.project.id': 'prj_1',
      'keel.endpoint': '/v1/chat/completions',
    });
    expect(Number(chat['gen_ai.usage.input_tokens'])).toBeGreaterThan(0);
    expect(Number(chat['gen_ai.usage.output_tokens'])).toBeGreaterThan(0);
    expect(attributes(exported[1]!)['keel.stream']).toBe(true);
    for (const span of exported) {
      expect(span.kind).toBe(3);
      expect(span.traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(span.spanId).toMatch(/^[0-9a-f]{16}$/);
      expect(BigInt(span.endTimeUnixNano)).toBeGreaterThanOrEqual(BigInt(span.startTimeUnixNano));
    }
  });

  it('never slows or fails a call when the collector is down; the queue is bounded', async () => {
    const exporter = new OtlpExporter({
      endpoint: 'http://127.0.0.1:9',
      serviceName: 'keel-test',
      maxQueue: 2,
      intervalMs: 10_000,
    });
    const registry = new ProviderRegistry([createEchoProvider()], {
      middleware: [tracingMiddleware(exporter)],
    });
    const model = registry.languageModel('echo:reverse');
    for (let i = 0; i < 3; i++) await model.doGenerate({ prompt: { type: 'text', text: 'hello' } });
    expect(exporter.dropped).toBe(1);
    await exporter.close();
  });
});
