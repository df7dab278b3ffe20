import { describe, expect, it } from 'vitest';
import { errorCodes } from '../api/error-codes.js';
import { errorFromResponse } from './errors.js';

const reply = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('SDK errors', () => {
  it('keeps every Keel code from all three error shapes', async () => {
    for (const code of Object.keys(errorCodes) as (keyof typeof errorCodes)[]) {
      const status = errorCodes[code].status;
      const keel = await errorFromResponse(reply(status, { error: { code, message: 'm' } }));
      expect(keel.code).toBe(code);
      const openai = await errorFromResponse(reply(status, { error: { code, message: 'm', type: 'x' } }));
      expect(openai.code).toBe(code);
      const watsonx = await errorFromResponse(reply(status, { errors: [{ code, message: 'm' }] }));
      expect(watsonx.code).toBe(code);
    }
  });

  it('names an answer that is not Keel’s by its status', async () => {
    expect((await errorFromResponse(reply(502, { error: { code: 'bad_gateway', message: 'm' } }))).code).toBe(
      'http_error',
    );
    expect((await errorFromResponse(new Response('<html>', { status: 401 }))).code).toBe('unauthorized');
  });
});
