import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GenerationService, ProviderRegistry } from '../models/index.js';
import { createOpenAICompatibleProvider } from '../models/providers/openai-compatible/index.js';
import { createTestDatabase } from '../testing/database.js';
import { DataService } from './data-service.js';

const encode = (text: string) => new TextEncoder().encode(text);
const sales =
  'id,region,amount,email\n1,north,10,ana@example.com\n2,south,7,bo@example.com\n3,north,5,cy@example.com\n';
const cities = 'city,population\nSeoul,9.4\nBusan,3.3\n';

/**
 * A fake OpenAI-compatible model serving canned SQL: the answer depends on the question, and a
 * repair request (the prompt carries the error) gets the corrected SQL.
 */
function cannedReply(messages: Array<{ role: string; content: string }>): object {
  const all = messages.map((message) => message.content).join('\n');
  if (all.includes('That SQL failed')) {
    return {
      sql: 'SELECT region, sum(amount) AS total FROM sales GROUP BY region ORDER BY region',
      explanation: 'Fixed.',
    };
  }
  if (all.includes('지역별')) {
    return {
      sql: 'SELECT region, sum(amount) AS total FROM sales GROUP BY region ORDER BY region;',
      explanation: '지역별로 금액을 합산합니다.',
    };
  }
  if (all.includes('broken'))
    return { sql: 'SELECT regoin, sum(amount) FROM sales GROUP BY regoin', explanation: '' };
  if (all.includes('emails'))
    return { sql: 'SELECT email FROM sales ORDER BY id', explanation: 'The emails.' };
  if (all.includes('drop')) return { sql: 'DROP VIEW sales', explanation: 'Dropped.' };
  return { sql: 'SELECT count(*) AS n FROM sales', explanation: 'Counts the sales.' };
}

describe('DataService.ask (fake upstream model serving canned SQL)', () => {
  let dir: string;
  let server: Server;
  let service: DataService;
  const bodies: Array<{
    response_format?: { type: string };
    messages: Array<{ role: string; content: string }>;
  }> = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      let text = '';
      request.on('data', (chunk) => {
        text += chunk;
      });
      request.on('end', () => {
        const body = JSON.parse(text) as (typeof bodies)[number];
        bodies.push(body);
        response.setHeader('content-type', 'application/json');
        response.end(
          JSON.stringify({
            id: 'chatcmpl-1',
            object: 'chat.completion',
            created: 1_700_000_000,
            model: 'sql-model',
            choices: [
              {
                index: 0,
                message: { role: 'assistant', content: JSON.stringify(cannedReply(body.messages)) },
                finish_reason: 'stop',
              },
            ],
            usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
          }),
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
    const registry = new ProviderRegistry([
      createOpenAICompatibleProvider({ name: 'fake', baseURL: url, models: ['sql-model'] }),
    ]);
    dir = await mkdtemp(path.join(os.tmpdir(), 'keel-data-ask-'));
    const db = await createTestDatabase();
    await db.query(`INSERT INTO organizations (id, name) VALUES ('o1', 'org')`);
    await db.query(`INSERT INTO projects (id, organization_id, name) VALUES ('p1', 'o1', 'one')`);
    service = new DataService({
      db,
      audit: { record: () => {} },
      dataDir: dir,
      generation: new GenerationService({ registry }),
    });
    await service.add('p1', {
      name: 'sales',
      data: encode(sales),
      fileName: 'sales.csv',
      description: '지역 매출',
    });
    await service.add('p1', { name: 'cities', data: encode(cities), fileName: 'cities.csv' });
    await service.governance.setTags('p1', 'sales', 'email', ['pii']);
    await service.governance.addPolicy('p1', { tag: 'pii', method: 'redact', roles: ['viewer'] });
  });
  afterAll(async () => {
    service.close();
    await new Promise((resolve) => server.close(resolve));
    await rm(dir, { recursive: true, force: true });
  });

  it('answers a Korean question with the SQL, the result, an explanation and every step', async () => {
    const answer = await service.ask('p1', { question: '지역별 매출 합계는?', model: 'fake:sql-model' });
    expect(answer.ok).toBe(true);
    expect(answer.sql).toBe('SELECT region, sum(amount) AS total FROM sales GROUP BY region ORDER BY region');
    expect(answer.explanation).toBe('지역별로 금액을 합산합니다.');
    expect(answer.result?.rows).toEqual([
      ['north', 15],
      ['south', 7],
    ]);
    expect(answer.steps.map((step) => step.step)).toEqual(['select_tables', 'generate', 'check', 'run']);
    const selected = answer.steps[0] as { candidates: Array<{ table: string }> };
    expect(selected.candidates[0]?.table).toBe('sales');
    // JSON output under a schema was asked of the server.
    expect(bodies.at(-1)?.response_format?.type).toBe('json_schema');
  });

  it('repairs once with the error message when the SQL fails', async () => {
    const answer = await service.ask('p1', { question: 'broken totals by region', model: 'fake:sql-model' });
    expect(answer.ok).toBe(true);
    expect(answer.steps.map((step) => `${step.step}${'ok' in step ? `:${step.ok}` : ''}`)).toEqual([
      'select_tables',
      'generate',
      'check:true',
      'run:false',
      'generate',
      'check:true',
      'run:true',
    ]);
    const repair = bodies.at(-1)!.messages.at(-1)!.content;
    expect(repair).toContain('That SQL failed');
    expect(repair).toContain('regoin');
  });

  it('never runs a write the model produced, and says so in the steps', async () => {
    const answer = await service.ask('p1', { question: 'drop everything', model: 'fake:sql-model' });
    expect(answer.steps.find((step) => step.step === 'check')).toMatchObject({
      ok: false,
      error: { code: 'not_select' },
    });
    expect((await service.query('p1', { sql: 'SELECT count(*) FROM sales' })).rows).toEqual([[3]]);
  });

  it('masks columns a question asks for, and keeps their samples from the model', async () => {
    const answer = await service.ask('p1', {
      question: 'list the emails',
      model: 'fake:sql-model',
      role: 'viewer',
    });
    expect(answer.result?.rows).toEqual([['[REDACTED]'], ['[REDACTED]'], ['[REDACTED]']]);
    expect(answer.masked_columns).toEqual(['sales.email']);
    const prompt = bodies
      .at(-1)!
      .messages.map((message) => message.content)
      .join('\n');
    expect(prompt).toContain('MASKED (redact)');
    expect(prompt).not.toContain('ana@example.com');
    const editor = await service.ask('p1', {
      question: 'list the emails',
      model: 'fake:sql-model',
      role: 'editor',
    });
    expect(editor.result?.rows[0]).toEqual(['ana@example.com']);
  });
});
