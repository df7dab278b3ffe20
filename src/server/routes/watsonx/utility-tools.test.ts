import type { WatsonXAI } from '@ibm-cloud/watsonx-ai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEchoProvider } from '../../../testing/echo-provider.js';
import { sdkClient } from '../../../testing/sdk.js';
import type { TestKeel } from '../../../testing/test-keel.js';
import { startWatsonxTestKeel, type WatsonxTestKeel, watsonxFailure } from '../../../testing/watsonx-sdk.js';

let keel: TestKeel;
let wx: WatsonxTestKeel;
let watsonx: WatsonXAI;

beforeAll(async () => {
  wx = await startWatsonxTestKeel({ providers: [createEchoProvider()] });
  keel = wx.keel;
  watsonx = wx.sdk();
  const sdk = sdkClient(keel, keel.adminKey);
  await sdk.rag.create({ name: 'handbook' });
  const added = await sdk.rag.addDocuments('handbook', [
    { name: 'leave.txt', text: 'Employees receive twenty days of annual leave each calendar year.' },
    { name: 'travel.txt', text: 'Travel expenses are reimbursed within thirty days of the trip.' },
  ]);
  await sdk.rag.waitForJob('handbook', added.job!.id);
});
afterAll(() => wx?.close());

describe('watsonx utility agent tools through the official SDK', () => {
  it('lists Keel’s own tools with their JSON input schemas', async () => {
    const listed = await watsonx.listUtilityAgentTools();
    const names = (listed.result as unknown as { resources: { name: string }[] }).resources.map(
      (t) => t.name,
    );
    expect(names).toEqual(['RAGQuery', 'SQLQuery', 'Webcrawler']);
    const rag = await watsonx.getUtilityAgentTool({ toolId: 'RAGQuery' });
    expect(rag.result).toMatchObject({
      name: 'RAGQuery',
      input_schema: { type: 'object', required: ['query', 'collection'] },
    });
    const missing = await watsonxFailure(watsonx.getUtilityAgentTool({ toolId: 'GoogleSearch' }));
    expect(missing.status).toBe(404);
    expect(missing.body.errors[0]!.message).toContain('RAGQuery');
  });

  it('runs RAGQuery on a project collection, and SQLQuery read-only', async () => {
    const ran = await watsonx.runUtilityAgentTool({
      wxUtilityAgentToolsRunRequest: {
        tool_name: 'RAGQuery',
        input: { query: 'annual leave days', collection: 'handbook', top_k: 1 },
      } as never,
    });
    const output = (ran.result as unknown as { output: { hits: { text: string }[] } }).output;
    expect(output.hits).toHaveLength(1);
    expect(output.hits[0]!.text).toContain('annual leave');

    const byName = await watsonx.runUtilityAgentToolByName({
      toolId: 'RAGQuery',
      wxUtilityAgentToolsRunRequest: {
        input: 'travel expenses',
        config: { collection: 'handbook' },
      } as never,
    });
    expect(JSON.stringify(byName.result)).toContain('reimbursed');

    const noCollection = await watsonxFailure(
      watsonx.runUtilityAgentToolByName({
        toolId: 'RAGQuery',
        wxUtilityAgentToolsRunRequest: { input: 'x' } as never,
      }),
    );
    expect(noCollection.status).toBe(400);
    expect(noCollection.body.errors[0]!.code).toBe('invalid_request');

    const sql = await watsonx.runUtilityAgentToolByName({
      toolId: 'SQLQuery',
      wxUtilityAgentToolsRunRequest: { input: { sql: 'SELECT 40 + 2 AS answer' } } as never,
    });
    expect(JSON.stringify(sql.result)).toContain('42');
    const write = await watsonxFailure(
      watsonx.runUtilityAgentToolByName({
        toolId: 'SQLQuery',
        wxUtilityAgentToolsRunRequest: { input: { sql: 'CREATE TABLE t (x INT)' } } as never,
      }),
    );
    expect(write.status).toBeGreaterThanOrEqual(400);
    expect(write.status).toBeLessThan(500);
  });

  it('refuses Webcrawler on loopback addresses unless private fetches are configured, and audits runs', async () => {
    const refused = await watsonxFailure(
      watsonx.runUtilityAgentToolByName({
        toolId: 'Webcrawler',
        wxUtilityAgentToolsRunRequest: { input: { url: `${wx.server.url}/health` } } as never,
      }),
    );
    expect(refused.status).toBeGreaterThanOrEqual(400);
    expect(refused.status).toBeLessThan(500);

    await keel.services.audit.flush();
    const audited = await keel.services.db.query<{ action: string; target_id: string }>(
      "SELECT action, target_id FROM audit_log WHERE action LIKE 'watsonx.tool.%' ORDER BY seq",
    );
    expect(audited.rows.map((row) => `${row.action}:${row.target_id}`)).toEqual([
      'watsonx.tool.run:RAGQuery',
      'watsonx.tool.run:RAGQuery',
      'watsonx.tool.run.refused:RAGQuery',
      'watsonx.tool.run:SQLQuery',
      'watsonx.tool.run.refused:SQLQuery',
      'watsonx.tool.run.refused:Webcrawler',
    ]);
  });

  it('masks SQLQuery results for the caller’s role, as the data routes do', async () => {
    const sdk = sdkClient(keel, keel.adminKey);
    await sdk.data.upload({ name: 'staff.csv', data: 'id,name,email\n1,Ana Kim,ana@example.com\n' });
    await sdk.data.setTags('staff', 'email', ['pii']);
    await sdk.data.addMaskingPolicy({ tag: 'pii', method: 'redact', roles: ['viewer'] });
    await sdk.data.addMaskingPolicy({ table: 'staff', column: 'name', method: 'null', roles: ['admin'] });
    const ran = await watsonx.runUtilityAgentToolByName({
      toolId: 'SQLQuery',
      wxUtilityAgentToolsRunRequest: { input: { sql: 'SELECT name, email FROM staff' } } as never,
    });
    const output = JSON.stringify(ran.result);
    // The admin's own policy applies; the viewers' does not.
    expect(output).toContain('ana@example.com');
    expect(output).not.toContain('Ana Kim');
  });
});
