/**
 * The Tuning page in Chromium against a real `keel serve`: a head trained from pasted labelled
 * lines, its job followed to the end with the loss curve drawn, the head compared with the
 * untuned baseline, and a text classified with it; a token tagger trained from tagged sentences
 * with its span F1 report; and a prompt optimisation started from the page, followed candidate by
 * candidate on its score curve, its winner compared with the untuned template on the Evaluations
 * page. The prompt is optimised for a fake OpenAI-compatible model that labels correctly only when
 * told the answer format, so the search has a real winner to find.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type FakeUpstream, startFakeOpenAI } from '../../src/testing/fake-upstreams/index.js';
import { dayRows, formatAwareText } from '../../src/testing/prompt-search-fixture.js';
import { chromiumAvailable, screenshot } from './support/browser.js';
import { signedInConsole } from './support/signed-in.js';

function lines(): string {
  const rude = ['바보', '멍청이', '꺼져', '쓰레기'];
  const kind = ['고마워요', '좋아요', '멋져요', '사랑해요'];
  const out: string[] = [];
  for (let i = 0; i < 30; i++) {
    out.push(`hap\t${rude[i % 4]} 너는 정말 ${rude[(i + 1) % 4]} ${i}`);
    out.push(`none\t${kind[i % 4]} 오늘도 ${kind[(i + 2) % 4]} ${i}`);
  }
  return out.join('\n');
}

/** Sentences with a person and a city, as token/TAG lines. */
function taggedLines(): string {
  const people = ['Kim', 'Lee', 'Park', 'Choi', 'Jung'];
  const cities = ['Seoul', 'Busan', 'Incheon', 'Daegu', 'Gwangju'];
  const out: string[] = [];
  for (let i = 0; i < 40; i++) {
    const person = people[i % 5]!;
    const city = cities[(i * 3) % 5]!;
    out.push(`${person}/B-PER lives/O in/O ${city}/B-LOC now/O ${i}/O`);
  }
  return out.join('\n');
}

describe.runIf(chromiumAvailable)('Tuning page', () => {
  let upstream: FakeUpstream | undefined;
  let work: string | undefined;
  const ui = signedInConsole(async () => {
    upstream = await startFakeOpenAI({ reply: 'maybe', answer: formatAwareText, models: ['labeller'] });
    work = await mkdtemp(path.join(tmpdir(), 'keel-browser-tuning-'));
    const config = path.join(work, 'keel.yaml');
    await writeFile(
      config,
      `providers:\n  - type: openai-compatible\n    name: fake\n    baseURL: ${upstream.url}/v1\n    models: [labeller]\n`,
    );
    return { KEEL_CONFIG: config, KEEL_ALLOW_PRIVATE_NETWORK_FETCH: '1' };
  });
  afterAll(async () => {
    await upstream?.close();
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('trains a head, follows the job with its loss curve, compares with the baseline and classifies', async () => {
    const { keel, page } = ui;
    await page.goto(`${keel.url}/tuning`);
    await page.getByRole('heading', { name: 'Tuning', level: 1 }).waitFor();
    await page.getByText('No heads yet.').waitFor();

    const form = page.getByRole('form', { name: 'Train a head' });
    await form.getByLabel('Head name').fill('rude');
    await form.getByLabel('Method').selectOption('mlp');
    await form.getByLabel(/Labelled texts/).fill('hap only one line');
    await form.getByRole('button', { name: 'Start training' }).click();
    await page.getByRole('alert').filter({ hasText: 'Line 1 needs a label' }).waitFor();

    await form.getByLabel(/Labelled texts/).fill(lines());
    await form.getByRole('button', { name: 'Start training' }).click();
    await page.getByText('Status: succeeded').waitFor({ timeout: 60_000 });
    await page.getByRole('img', { name: 'Loss curve' }).waitFor();
    expect(await page.locator('.tuning-curve polyline').count()).toBe(2);

    const table = page.getByRole('table', { name: 'Against the untuned baseline' });
    await table.getByRole('rowheader', { name: 'head:rude v1' }).waitFor();
    const headRow = table
      .getByRole('row')
      .filter({ has: page.getByRole('rowheader', { name: 'head:rude v1' }) });
    expect(await headRow.textContent()).toContain('mlp');
    const baselineRow = table
      .getByRole('row')
      .filter({ has: page.getByRole('rowheader', { name: /Baseline/ }) });
    // 12 validation items per class: the majority baseline is right half the time.
    expect(await baselineRow.textContent()).toContain('0.5');

    const tryForm = page.getByRole('form', { name: 'Classify a text' });
    await tryForm.getByRole('textbox').fill('이 멍청이 바보');
    await tryForm.getByRole('button', { name: 'Classify' }).click();
    await expect.poll(() => tryForm.locator('output').textContent()).toContain('Label: hap');
  });

  it('trains a token tagger from tagged sentences and shows its span F1 report', async () => {
    const { keel, page } = ui;
    await page.goto(`${keel.url}/tuning`);
    const form = page.getByRole('form', { name: 'Train a head' });
    await form.getByLabel('Head name').fill('places');
    await form.getByLabel('Method').selectOption('tagger');
    await form.getByLabel(/Tagged sentences/).fill('Kim lives/O');
    await form.getByRole('button', { name: 'Start training' }).click();
    await page.getByRole('alert').filter({ hasText: 'Line 1 needs tokens written as token/TAG' }).waitFor();

    await form.getByLabel(/Tagged sentences/).fill(taggedLines());
    await form.getByRole('button', { name: 'Start training' }).click();
    await page.getByText('Status: succeeded').waitFor({ timeout: 60_000 });
    const report = page.getByRole('table', { name: /head:places v1: spans on validation/ });
    await report.waitFor();
    for (const type of ['All types', 'LOC', 'PER'])
      await report.getByRole('rowheader', { name: type }).waitFor();
    // Names and cities always sit in the same places: the tagger finds every span.
    const all = report.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'All types' }) });
    const cells = await all.getByRole('cell').allTextContents();
    expect(Number(cells[2])).toBeGreaterThan(0.9);
    // A tagger is not offered for classifying texts.
    const choices = await page
      .getByRole('form', { name: 'Classify a text' })
      .locator('option')
      .allTextContents();
    expect(choices).toEqual(['rude']);
  });

  it('optimises a prompt: progress, the score per candidate, and the winner against the untuned template', async () => {
    const { keel, page } = ui;
    await keel.admin.prompts.create({
      name: 'sentiment',
      template: {
        mode: 'structured',
        instruction: 'Say how the day was.',
        test_input: '{{text}}',
        model_id: 'fake:labeller',
      },
    });
    await keel.admin.evals.addDataset({
      name: 'days',
      // The last six days held out as a `test` split.
      rows: dayRows().map((row, i) => (i >= 18 ? { ...row, split: 'test' } : row)),
      mapping: { input: ['text'], label: 'label', split: 'split' },
    });
    await page.goto(`${keel.url}/tuning`);
    const section = page.getByRole('region', { name: 'Optimise a prompt' });
    const form = section.getByRole('form', { name: 'Start prompt optimisation' });
    await expect.poll(() => form.getByLabel('Template', { exact: true }).inputValue()).toBe('sentiment');
    await expect.poll(() => form.getByLabel('Labelled dataset').inputValue()).toBe('days');
    await form.getByLabel('Metric to maximise').selectOption('accuracy');

    // A budget too small to score the template once is refused with its coded reason.
    await form.getByLabel('Model calls').fill('3');
    await form.getByRole('button', { name: 'Start optimisation' }).click();
    await form.getByText(/budget allows 3/).waitFor();

    await form.getByLabel('Model calls').fill('200');
    await form.getByLabel(/Held-out split/).fill('test');
    await form.getByRole('button', { name: 'Start optimisation' }).click();
    await section.getByText('Status: succeeded').waitFor({ timeout: 60_000 });
    const chart = section.getByRole('img', { name: 'Score per candidate' });
    await chart.waitFor();
    const trace = section.getByRole('table', { name: 'Candidates in the order they were scored' });
    const rows = await trace.locator('tbody tr').count();
    expect(rows).toBeGreaterThanOrEqual(4);
    expect(await section.locator('circle.tuning-candidate').count()).toBe(rows);
    await trace.getByRole('rowheader', { name: 'baseline' }).waitFor();
    await trace.getByRole('rowheader', { name: 'few-shot-3-per-input' }).waitFor();
    const outcome = section.getByRole('region', { name: 'Result' });
    await outcome.getByText('Saved as sentiment@2.').waitFor();
    const compared = outcome.getByRole('table', { name: 'Against the untuned baseline' });
    expect(await compared.getByRole('row').allTextContents()).toEqual([
      'Untuned: sentiment@10',
      'Winner: format-1 (version 2)1',
    ]);

    await outcome.getByText('On the held-out split test: untuned 0, winner 1.').waitFor();
    await screenshot(page, 'tuning-prompt');
    await outcome.getByRole('link', { name: /Compare the winner with the untuned template/ }).click();
    const comparison = page.getByRole('table', { name: 'Comparison' });
    await comparison.waitFor();
    const accuracy = comparison
      .getByRole('row')
      .filter({ has: page.getByRole('rowheader', { name: 'accuracy' }) });
    // The two runs sit on the six held-out items.
    await expect.poll(() => accuracy.textContent()).toContain('Paired, 6 items');
  });

  it('shows the page in Korean', async () => {
    const { keel, page } = ui;
    await page.goto(`${keel.url}/tuning`);
    await page.getByRole('heading', { name: 'Tuning', level: 1 }).waitFor();
    await page.getByRole('button', { name: '한국어' }).click();
    await page.getByRole('heading', { name: '튜닝', level: 1 }).waitFor();
    await page.getByRole('form', { name: '헤드 학습' }).getByLabel('방법').selectOption('tagger');
    await page.getByLabel(/태그된 문장/).waitFor();
    await page
      .getByRole('table', { name: /head:places v1: 검증 데이터의 스팬/ })
      .getByText('전체 유형')
      .waitFor();
    const section = page.getByRole('region', { name: '프롬프트 최적화' });
    const form = section.getByRole('form', { name: '프롬프트 최적화 시작' });
    for (const label of ['템플릿', '레이블 데이터셋', '최대화할 지표', '모델 호출 수', '토큰 수'])
      await form.getByLabel(label, { exact: true }).waitFor();
    await form.getByRole('button', { name: '최적화 시작' }).waitFor();
    await page.getByRole('button', { name: 'English' }).click();
  });
});
