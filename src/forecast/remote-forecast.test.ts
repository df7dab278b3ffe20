import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KeelError } from '../core/errors.js';
import { forwardForecast } from './remote-forecast.js';

let server: Server;
let url: string;
const seen: { auth?: string | undefined; body?: Record<string, unknown> } = {};

beforeAll(async () => {
  // A watsonx-compatible forecasting upstream: answers one TTM model, refuses the others.
  server = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk) => {
      text += chunk;
    });
    req.on('end', () => {
      const body = JSON.parse(text) as { model_id: string };
      seen.auth = req.headers.authorization;
      seen.body = body;
      res.setHeader('content-type', 'application/json');
      if (body.model_id !== 'ibm/granite-ttm-1536-96-r2') {
        res.statusCode = 404;
        res.end(
          JSON.stringify({
            errors: [{ code: 'model_not_supported', message: 'unknown model' }],
            status_code: 404,
          }),
        );
        return;
      }
      res.end(
        JSON.stringify({
          model_id: body.model_id,
          created_at: '2024-01-01T00:00:00Z',
          results: [{ t: ['x'], y: [1] }],
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const request = (model_id: string) => ({
  model_id,
  data: { t: ['2024-01-01', '2024-01-02'], y: [1, 2] },
  schema: { timestamp_column: 't' },
});

describe('forwarding a forecast to a watsonx-compatible upstream', () => {
  it('sends the request with the token and scope, and returns the upstream answer', async () => {
    const answer = await forwardForecast(
      { url, token: 'secret', scope: { project_id: 'p1' } },
      request('ibm/granite-ttm-1536-96-r2'),
    );
    expect(answer.results).toEqual([{ t: ['x'], y: [1] }]);
    expect(seen.auth).toBe('Bearer secret');
    expect(seen.body?.project_id).toBe('p1');
  });

  it('reports upstream refusals and an unreachable upstream with codes', async () => {
    const refused = await forwardForecast({ url }, request('other')).catch((error: KeelError) => error);
    expect((refused as KeelError).code).toBe('upstream_error');
    expect((refused as KeelError).data?.upstreamCode).toBe('model_not_supported');
    const down = await forwardForecast({ url: 'http://127.0.0.1:9' }, request('x')).catch(
      (error: KeelError) => error,
    );
    expect((down as KeelError).code).toBe('upstream_unavailable');
  });
});
