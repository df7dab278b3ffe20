/**
 * The Prompt Lab in Chromium against a real `keel serve` with two tiny llama.cpp models: a
 * structured prompt with a variable streams its answer; versions, labels and diffs; restoring a
 * run from the history; sample prompts; chat mode from the keyboard; two models side by side; a
 * version's few-shot pool shown read-only.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Browser,
  chromiumAvailable,
  launchBrowser,
  screenshot,
  screenshotOnFailure,
} from './support/browser.js';
import { adminKey, type KeelServer, startKeel } from './support/keel-server.js';
import { credentialScript } from './support/session.js';

const firstInstruction = 'Write one friendly sentence about {{topic}}.';

async function openLab(browser: Browser, url: string): Promise<Page> {
  const page = await browser.newPage();
  await page.addInitScript(credentialScript(adminKey));
  await page.goto(`${url}/prompt-lab`);
  await page.getByRole('heading', { name: 'Prompt Lab', level: 1 }).waitFor();
  return page;
}

async function runAndWait(page: Page, button = 'Run'): Promise<string> {
  await page.getByRole('button', { name: button, exact: true }).click();
  const summary = page.getByTestId('run-summary');
  await expect.poll(() => summary.textContent(), { timeout: 30_000 }).toMatch(/Done|Failed|Interrupted/);
  return (await summary.textContent()) ?? '';
}

describe.runIf(chromiumAvailable)('Prompt Lab', () => {
  let keel: KeelServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    [keel, browser] = await Promise.all([startKeel(), launchBrowser()]);
    // A small dataset the comparison can be scored against.
    await keel.admin.evals.addDataset({
      name: 'lab-topics',
      rows: [
        { topic: 'the sea', answer: 'The sea is wide.' },
        { topic: 'the sky', answer: 'The sky is blue.' },
        { topic: 'rain', answer: 'Rain is wet.' },
      ],
      mapping: { input: ['topic'], reference: 'answer' },
    });
    page = await openLab(browser, keel.url);
  });
  screenshotOnFailure(() => page);
  afterAll(async () => {
    await browser?.close();
    await keel?.stop();
  });

  it('runs a structured prompt with a variable and streams the answer', async () => {
    await page.getByRole('radio', { name: 'Structured' }).check();
    await page.getByRole('textbox', { name: 'Instruction', exact: true }).fill(firstInstruction);
    await page.getByRole('textbox', { name: 'Test input', exact: true }).fill('Topic: {{topic}}');
    // The variable is found as it is typed; running waits for its value.
    const variables = page.getByRole('region', { name: /^Variables/ });
    await variables.getByText('{{topic}}').waitFor();
    await page.getByText('Give a value to: topic.').waitFor();
    expect(await page.getByRole('button', { name: 'Run', exact: true }).isDisabled()).toBe(true);
    await variables.getByRole('textbox').fill('the sea');
    await page.getByLabel('Max new tokens').fill('200');
    // Token budget before running, counted by the model's tokenizer.
    await expect.poll(() => page.getByTestId('token-count').textContent()).toMatch(/^\d+ tokens · context/);

    // Record every state the output region goes through while the answer streams in.
    await page.evaluate(() => {
      const output = document.querySelector('[data-testid="run-output"]')!;
      const lengths: number[] = [];
      (window as unknown as { lengths: number[] }).lengths = lengths;
      new MutationObserver(() => {
        if (output.closest('[aria-busy="true"]')) lengths.push(output.textContent?.length ?? 0);
      }).observe(output, { childList: true, subtree: true, characterData: true });
    });
    const summary = await runAndWait(page);
    expect(summary).toContain('Done');
    expect(summary).toContain('200 out');
    const lengths = await page.evaluate(() => (window as unknown as { lengths: number[] }).lengths);
    const output = (await page.getByTestId('run-output').textContent()) ?? '';
    expect(output.length).toBeGreaterThan(0);
    // Text arrived in pieces while the run was still going: partial lengths below the final one.
    expect(new Set(lengths.filter((length) => length > 0 && length < output.length)).size).toBeGreaterThan(0);
    await screenshot(page, 'prompt-lab');
  });

  it('saves versions, labels one, shows the diff, and restores a run from the history', async () => {
    await page.getByRole('button', { name: 'Save as new template' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Name').fill('sea-greeting');
    await dialog.getByLabel('Title (optional)').fill('Sea greeting');
    await dialog.getByLabel('What changed (optional)').fill('First wording');
    await dialog.getByRole('button', { name: 'Create template' }).click();
    await expect
      .poll(() => page.getByTestId('draft-origin').textContent())
      .toBe('Template sea-greeting · version 1');

    await page
      .getByRole('textbox', { name: 'Instruction', exact: true })
      .fill('Write two short lines about {{topic}}.');
    await page.getByRole('button', { name: 'Save version' }).click();
    await dialog.getByLabel('What changed (optional)').fill('Two lines');
    await dialog.getByRole('button', { name: 'Save version' }).click();
    await expect
      .poll(() => page.getByTestId('draft-origin').textContent())
      .toBe('Template sea-greeting · version 2');
    expect(await runAndWait(page)).toContain('Done');

    await page.getByRole('button', { name: 'Templates', exact: true }).click();
    const versions = page.getByRole('region', { name: 'Versions of sea-greeting' });
    await expect.poll(() => versions.locator('.version-list > li').count()).toBe(2);
    await versions.getByLabel('Label').fill('production');
    await versions.getByLabel('Version', { exact: true }).selectOption('1');
    await versions.getByRole('button', { name: 'Set label' }).click();
    await versions.getByRole('button', { name: 'Remove label production' }).waitFor();
    expect((await keel.admin.prompts.get('sea-greeting@production')).version.version).toBe(1);

    await versions.getByRole('button', { name: 'Diff versions' }).click();
    const diff = page.getByRole('dialog', { name: 'Changes in sea-greeting' });
    await diff.locator('.diff-remove', { hasText: firstInstruction }).waitFor();
    await diff.locator('.diff-add', { hasText: 'Write two short lines about {{topic}}.' }).waitFor();
    await screenshot(page, 'prompt-lab-diff', false);
    await diff.getByRole('button', { name: 'Close' }).click();

    await page.getByRole('button', { name: 'History', exact: true }).click();
    const runs = page.getByRole('list', { name: 'Runs' }).getByRole('listitem');
    await expect.poll(() => runs.count()).toBe(2);
    const firstOutput = (await keel.admin.prompts.runs.search({ limit: 2 })).runs[1]!.output;
    // The older run (made before anything was saved) comes back with its wording and values.
    await runs
      .nth(1)
      .getByRole('button', { name: /^Restore the run of/ })
      .click();
    await page.getByText('The run was restored into the editor.').waitFor();
    expect(await page.getByRole('textbox', { name: 'Instruction', exact: true }).inputValue()).toBe(
      firstInstruction,
    );
    expect(
      await page
        .getByRole('region', { name: /^Variables/ })
        .getByRole('textbox')
        .inputValue(),
    ).toBe('the sea');
    expect(await page.getByLabel('Max new tokens').inputValue()).toBe('200');
    expect(await page.getByTestId('run-output').textContent()).toBe(firstOutput);
    expect(await page.getByTestId('draft-origin').textContent()).toBe('Unsaved draft');
    await screenshot(page, 'prompt-lab-history');
    // Undo brings back the draft that was replaced.
    await page.getByRole('button', { name: 'Undo' }).click();
    expect(await page.getByTestId('draft-origin').textContent()).toBe('Template sea-greeting · version 2');
  });

  it('opens a sample prompt with its example values, ready to run', async () => {
    await page.getByRole('button', { name: 'Samples', exact: true }).click();
    const first = page.locator('.sample-item').first();
    await first.waitFor();
    const title = (await first.locator('strong').textContent()) ?? '';
    await first.getByRole('button', { name: `Use sample ${title}` }).click();
    await page.getByText(`Sample “${title}” loaded.`).waitFor();
    await screenshot(page, 'prompt-lab-samples');
    expect(await page.getByRole('button', { name: 'Run', exact: true }).isDisabled()).toBe(false);
    expect(await runAndWait(page)).toContain('Done');
  });

  it('chats from the keyboard: Ctrl+Enter sends, the answer joins the conversation', async () => {
    // A new tab starts from an empty draft.
    page = await openLab(browser, keel.url);
    await page.getByRole('radio', { name: 'Chat' }).check();
    const message = page.getByRole('textbox', { name: 'Your message' });
    await message.fill('Say hello.');
    await message.press('Control+Enter');
    const conversation = page.getByRole('list', { name: 'Conversation' });
    await conversation.getByText('Assistant').waitFor({ timeout: 30_000 });
    expect(await message.inputValue()).toBe('');
    expect(await conversation.getByRole('listitem').count()).toBe(2);
  });

  it('compares two models side by side with tokens, latency and cost', async () => {
    await page.getByRole('radio', { name: 'Structured' }).check();
    await page.getByRole('textbox', { name: 'Instruction', exact: true }).fill(firstInstruction);
    await page.getByRole('textbox', { name: 'Test input', exact: true }).fill('Topic: {{topic}}');
    await page
      .getByRole('region', { name: /^Variables/ })
      .getByRole('textbox')
      .fill('the sea');
    await page.getByRole('button', { name: 'Compare', exact: true }).click();
    const models = page.getByRole('group', { name: 'Models to run the draft on' });
    for (const model of ['llamacpp:tiny', 'llamacpp:tiny-ko'])
      await models.getByLabel(model, { exact: true }).check();
    await page.getByRole('button', { name: 'Run comparison' }).click();
    const cells = page.locator('.compare-cell');
    await page.getByText(/^All columns in/).waitFor({ timeout: 60_000 });
    expect(await cells.count()).toBe(2);
    for (const index of [0, 1]) {
      const text = (await cells.nth(index).textContent()) ?? '';
      expect(text).toMatch(/Tokens\d+ in · \d+ out/);
      expect(text).toMatch(/Latency[\d.,]+ m?s/);
      expect(text).toContain('$0.00');
    }
    expect((await cells.locator('h3').allTextContents()).sort()).toEqual([
      'llamacpp:tiny',
      'llamacpp:tiny-ko',
    ]);
    await screenshot(page, 'prompt-lab-compare');
  });

  it('scores the comparison against a dataset: quality with intervals, and the difference between columns', async () => {
    // Still in the compare view, with both models chosen.
    await page.getByLabel('Score against a dataset').selectOption('lab-topics');
    await page.getByLabel('Items', { exact: true }).fill('3');
    const metrics = page.getByRole('group', { name: 'Quality metrics' });
    for (const metric of ['exact_match', 'f1', 'rougeL', 'chrf'])
      expect(await metrics.getByLabel(metric, { exact: true }).isChecked()).toBe(true);
    await page.getByRole('button', { name: 'Run comparison' }).click();
    const quality = page.getByRole('table', { name: 'Quality per column' });
    await quality.waitFor({ timeout: 90_000 });
    await quality.getByText('Scores on lab-topics@1 (3 items), with 95% intervals').waitFor();
    const rows = quality.getByRole('row');
    const names = await quality.locator('tbody th[scope="row"]').allTextContents();
    expect(names).toEqual([
      'exact_match',
      'f1',
      'rougeL',
      'chrf',
      'latency',
      'tokens',
      'cost',
      'Evaluation run',
    ]);
    // Every metric of both columns has a score and its interval.
    for (const name of ['exact_match', 'f1', 'rougeL', 'chrf', 'tokens']) {
      const cells = await rows
        .filter({ has: page.getByRole('rowheader', { name, exact: true }) })
        .locator('td')
        .allTextContents();
      expect(cells).toHaveLength(2);
      for (const cell of cells) expect(cell).toMatch(/^[\d.,]+ \([\d.,]+ – [\d.,]+\)$/);
    }
    expect(await quality.getByRole('link', { name: /^evr_/ }).count()).toBe(2);
    // The second column against the first, metric by metric, with a p-value and a verdict.
    const [, first, second] = await quality.locator('thead th').allTextContents();
    const difference = page.getByRole('table', { name: `${second}: Difference from ${first}` });
    await difference.waitFor();
    const verdicts = await difference.locator('tbody td:last-child').allTextContents();
    expect(verdicts.length).toBeGreaterThanOrEqual(4);
    for (const verdict of verdicts)
      expect(['Better', 'Worse', 'No significant difference']).toContain(verdict);
    await page
      .getByText('Outputs for the first item; every item is in the column’s evaluation run.')
      .waitFor();
    await screenshot(page, 'prompt-lab-compare-scored');

    await page.getByRole('button', { name: '한국어' }).click();
    const qualityKo = page.getByRole('table', { name: '열별 품질' });
    await qualityKo.getByText('lab-topics@1의 점수(3개 항목), 95% 신뢰 구간 포함').waitFor();
    const differenceKo = page.getByRole('table', { name: `${second}: ${first} 대비 차이` });
    await differenceKo.waitFor();
    const verdictsKo = await differenceKo.locator('tbody td:last-child').allTextContents();
    expect(verdictsKo).toHaveLength(verdicts.length);
    for (const verdict of verdictsKo) expect(['더 좋음', '더 나쁨', '유의한 차이 없음']).toContain(verdict);
    await page.getByLabel('데이터셋으로 채점').waitFor();
    await screenshot(page, 'prompt-lab-compare-scored-ko');
    await page.getByRole('button', { name: 'English' }).click();
  });

  it('shows read-only that a version picks few-shot examples per input from a pool', async () => {
    await keel.admin.prompts.create({
      name: 'routing-pool',
      template: {
        mode: 'structured',
        instruction: 'Route the complaint.',
        test_input: '{{complaint}}',
        model_id: 'llamacpp:tiny',
        few_shot: {
          k: 1,
          examples: [
            { input: 'the parcel came late', output: 'delivery' },
            { input: 'I was charged twice', output: 'billing' },
          ],
          source: 'complaints@1 train',
        },
      },
    });
    const fresh = await openLab(browser, keel.url);
    await fresh.getByRole('button', { name: 'Templates', exact: true }).click();
    await fresh.getByRole('button', { name: 'Open routing-pool' }).click();
    const note = fresh.getByRole('region', { name: 'Few-shot example pool' });
    await note.getByText('Picks 1 per input from a pool of 2 examples').waitFor();
    expect(await note.textContent()).toContain(
      'pool from complaints@1 train · labels balanced · diversity 0.3',
    );
    await fresh.close();
  });
});
