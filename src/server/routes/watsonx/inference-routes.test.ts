import type { WatsonXAI } from '@ibm-cloud/watsonx-ai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { airPassengerMonths, airPassengers } from '../../../forecast/index.js';
import { createEchoProvider } from '../../../testing/echo-provider.js';
import type { TestKeel } from '../../../testing/test-keel.js';
import { startWatsonxTestKeel, type WatsonxTestKeel, watsonxFailure } from '../../../testing/watsonx-sdk.js';

let keel: TestKeel;
let wx: WatsonxTestKeel;
let watsonx: WatsonXAI;

beforeAll(async () => {
  wx = await startWatsonxTestKeel({ providers: [createEchoProvider()] });
  keel = wx.keel;
  watsonx = wx.sdk();
});
afterAll(() => wx?.close());

describe('watsonx rerank, forecast and tasks through the official SDK', () => {
  it('reranks with the built-in lexical reranker and honours return options', async () => {
    const response = await watsonx.textRerank({
      modelId: 'keel/lexical-rerank',
      query: '서울대학교는 언제 설립되었나?',
      inputs: [
        { text: '부산은 항구 도시이다.' },
        { text: '서울대학교는 1946년에 설립되었다.' },
        { text: '대학 입시' },
      ],
      parameters: { return_options: { top_n: 2, inputs: true, query: true } },
    });
    const result = response.result;
    expect(result.results).toHaveLength(2);
    expect(result.results[0]!.index).toBe(1);
    expect(result.results[0]!.input?.text).toBe('서울대학교는 1946년에 설립되었다.');
    expect(result.query).toBe('서울대학교는 언제 설립되었나?');
    expect(result.input_token_count).toBeGreaterThan(0);
  });

  it('reranks with the lexical reranker fused with character n-gram similarity', async () => {
    const response = await watsonx.textRerank({
      modelId: 'keel/lexical-ngram-rerank',
      query: 'When was the university founded?',
      inputs: [
        { text: 'The harbour city grew around its port.' },
        { text: 'The university was founded in 1946, after the war.' },
        { text: 'Universities admit students each spring.' },
      ],
      parameters: { return_options: { top_n: 3 } },
    });
    expect(response.result.model_id).toBe('keel/lexical-ngram-rerank');
    expect(response.result.results.map((result) => result.index)).toEqual([1, 2, 0]);
  });

  it('refuses 10,000 rerank inputs and a provider without reranking, in the watsonx error shape', async () => {
    const many = await watsonxFailure(
      watsonx.textRerank({
        modelId: 'keel/lexical-rerank',
        query: 'q',
        inputs: Array.from({ length: 10_000 }, (_, i) => ({ text: `t${i}` })),
      }),
    );
    expect(many.status).toBe(400);
    expect(many.body.errors[0]!.code).toBe('too_many_inputs');
    expect(many.body.trace).toBeTruthy();
    const none = await watsonxFailure(
      watsonx.textRerank({ modelId: 'echo:reverse', query: 'q', inputs: [{ text: 'a' }] }),
    );
    expect(none.status).toBe(501);
    expect(none.body.status_code).toBe(501);
  });

  it('forecasts AirPassengers with Holt-Winters and maps a watsonx model name', async () => {
    const response = await watsonx.timeSeriesForecast({
      modelId: 'ibm/granite-ttm-512-96-r2',
      data: { month: airPassengerMonths(), passengers: [...airPassengers] },
      schema: { timestamp_column: 'month', target_columns: ['passengers'] },
      parameters: { prediction_length: 12 },
    });
    const result = response.result as {
      results: Record<string, unknown[]>[];
      system?: { warnings: { id: string }[] };
    };
    expect(result.results[0]!.month![0]).toBe('1961-01-01T00:00:00.000Z');
    const values = result.results[0]!.passengers as number[];
    expect(values).toHaveLength(12);
    expect(values[6]!).toBeGreaterThan(values[10]!); // July above November, as every year
    expect(result.system?.warnings[0]?.id).toBe('model_substituted');
  });

  it('answers too few points, uneven spacing and a missing project with codes', async () => {
    const few = await watsonxFailure(
      watsonx.timeSeriesForecast({
        modelId: 'keel/holt',
        data: { t: ['2024-01-01', '2024-01-02'], y: [1, 2] },
        schema: { timestamp_column: 't' },
      }),
    );
    expect(few.body.errors[0]!.code).toBe('insufficient_data');
    const uneven = await watsonxFailure(
      watsonx.timeSeriesForecast({
        modelId: 'keel/holt',
        data: { t: ['2024-01-01', '2024-01-02', '2024-01-04', '2024-01-05'], y: [1, 2, 3, 4] },
        schema: { timestamp_column: 't' },
      }),
    );
    expect(uneven.body.errors[0]!.code).toBe('irregular_frequency');
    const res = await keel.call('/ml/v1/time_series/forecast?version=2024-05-31', {
      json: { model_id: 'keel/ses', data: { t: [], y: [] }, schema: { timestamp_column: 't' } },
    });
    expect(res.status).toBe(400);
    expect((await res.json()).errors[0].code).toBe('project_required');
  });

  it('lists foundation model tasks with paging and filters specs by function', async () => {
    const tasks = await watsonx.listFoundationModelTasks({ limit: 5 });
    expect(tasks.result.resources).toHaveLength(5);
    expect(tasks.result.resources![0]!.task_id).toBe('question_answering');
    expect(tasks.result.next?.href).toContain('start=5');
    const specs = await watsonx.listFoundationModelSpecs({ filters: 'function_text_generation' });
    expect(specs.result.resources?.map((model) => model.model_id)).toEqual(['echo:reverse']);
  });

  it('answers an unknown version and an unserved method with watsonx-style codes', async () => {
    const bad = await keel.call('/ml/v1/foundation_model_tasks?version=1999-01-01');
    expect(bad.status).toBe(400);
    expect((await bad.json()).errors[0].code).toBe('unsupported_version');
    const notDate = await keel.call('/ml/v1/foundation_model_tasks?version=latest');
    expect((await notDate.json()).errors[0].code).toBe('unsupported_version');
    // Trainings are answered by the tuning module's spec export now; synthetic data is not served.
    const synthetic = await watsonxFailure(watsonx.listSyntheticDataGenerations({}));
    expect(synthetic.status).toBe(501);
    expect(synthetic.body.errors[0]!.code).toBe('not_implemented');
    expect(synthetic.body.errors[0]!.message).toMatch(/Prompt Lab/);
    const taxonomies = await watsonxFailure(watsonx.listTaxonomies({}));
    expect(taxonomies.status).toBe(501);
  });
});
