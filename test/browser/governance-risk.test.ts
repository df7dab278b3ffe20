/**
 * The risk questionnaire on the Governance page in Chromium against a real `keel serve`: answer
 * the questionnaire for an inventory entry (a refused save marks the unanswered questions), see
 * the computed tier, EU AI Act category, Korea high-impact determination and the required
 * controls (previewed live, then saved), save, revise into a second version, and read both in the entry's assessment history
 * — in English and Korean.
 */
import type { Locator } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, screenshot } from './support/browser.js';
import { createKey, credentialScript } from './support/session.js';
import { signedInConsole } from './support/signed-in.js';

describe.runIf(chromiumAvailable)('Governance risk questionnaire', () => {
  const ui = signedInConsole();
  let useCaseId: string;

  beforeAll(async () => {
    const { admin } = ui.keel;
    useCaseId = (await admin.governance.useCases.create({ name: 'loan screening', tags: ['credit'] })).id;
    await admin.governance.useCases.create({ name: 'meeting notes', tags: ['office'] });
  });

  const question = (form: Locator, id: string) => form.locator(`[data-question="${id}"]`);
  const choose = (form: Locator, id: string, label: string | RegExp) =>
    question(form, id)
      .getByLabel(label, { exact: typeof label === 'string' })
      .check();

  it('answers the questionnaire, shows the tier and the required controls, saves and revises into the history', async () => {
    const { keel, page } = ui;
    await page.goto(`${keel.url}/governance`);
    await page.getByRole('heading', { name: 'Governance', level: 1 }).waitFor();
    const inventory = page.getByRole('table', { name: 'Use-case inventory' });
    await inventory.getByRole('button', { name: 'loan screening' }).click();
    const section = page.getByRole('region', { name: 'Risk assessment' });
    await section.getByText('This use case has no risk assessment yet').waitFor();
    const form = section.getByRole('form', { name: 'Risk questionnaire' });

    // Only the purpose answered: the server refuses, and each unanswered question says so.
    await question(form, 'purpose_description')
      .getByLabel('What is the system for? Describe its intended purpose and who uses it.')
      .fill('Screens personal loan applications and drafts a recommendation for the credit officer.');
    await form.getByRole('button', { name: 'Save assessment' }).click();
    const refusal = form.getByRole('alert').filter({ hasText: 'The assessment was not saved' });
    await refusal.waitFor();
    await question(form, 'purpose_function').getByText('This question needs an answer.').waitFor();
    await question(form, 'domain').getByText('This question needs an answer.').waitFor();
    expect(await question(form, 'purpose_description').locator('.field-error').count()).toBe(0);

    await choose(form, 'purpose_function', 'Supports a decision about a person (a person decides)');
    await choose(form, 'prohibited_practices', 'None of these');
    await choose(form, 'domain', 'Creditworthiness or loan screening of individuals');
    await choose(form, 'affected_people', 'Customers or business partners');
    await choose(form, 'scale', '10,000 to 1 million');
    await choose(form, 'impact_severity', /^Loss of access to a job, credit/);
    await choose(form, 'autonomy', 'A person reviews every output before it takes effect');
    await choose(form, 'reversibility', 'Yes, with effort or an appeal');
    await choose(form, 'data_categories', 'Personal data (names, contacts, account data)');
    await choose(form, 'interaction', 'Only trained staff see outputs, inside a tool');
    // The preview follows the answers before anything is saved, with the server's controls and reasons.
    const preview = form.locator('.risk-preview');
    await preview.getByRole('heading', { name: 'Preview of these answers (not saved)' }).waitFor();
    await expect.poll(() => preview.getAttribute('data-tier')).toBe('high');
    const previewControls = preview.getByRole('list', { name: 'Required controls' });
    await previewControls.locator('[data-control="kr.risk-plan"]').waitFor();
    await previewControls
      .locator('[data-control="eu.oversight"]')
      .getByText('because: EU AI Act: high-risk')
      .waitFor();
    expect((await keel.admin.risk.list({ use_case_id: useCaseId })).assessments).toEqual([]);
    await form.getByLabel('Note (optional)').fill('first review');
    await form.getByRole('button', { name: 'Save assessment' }).click();

    // The computed result: high tier, EU high-risk (Annex III 5(b)), Korea high-impact.
    const result = section.locator('.risk-result');
    await result.getByRole('heading', { name: 'Result of assessment version 1' }).waitFor();
    expect(await result.getAttribute('data-tier')).toBe('high');
    await expect
      .poll(() => result.locator('.risk-summary dd').allInnerTexts())
      .toEqual(['High', 'High', 'Yes', expect.stringMatching(/^\d+ \(limited from 10, high from 25\)$/)]);
    await result.getByText(/^EU AI Act: high-risk because/).waitFor();
    const controls = result.getByRole('list', { name: 'Required controls' });
    for (const id of [
      'eu.oversight',
      'eu.documentation',
      'eu.art27',
      'kr.risk-plan',
      'kr.supervision',
      'keel.two-approvers',
    ])
      await controls.locator(`[data-control="${id}"]`).waitFor();
    await controls
      .getByText('Human oversight: people who can understand, override or stop the output.')
      .waitFor();
    expect(await controls.locator('[data-control="eu.art50.1"]').count()).toBe(0);

    // The history and the inventory entry follow.
    const history = section.getByRole('table', { name: 'Assessment history' });
    await expect.poll(() => history.getByRole('row').count()).toBe(2);
    await history.getByRole('button', { name: 'Version 1' }).waitFor();
    await expect
      .poll(() => inventory.getByRole('row').filter({ hasText: 'loan screening' }).textContent())
      .toContain('High');

    // Revise: the form starts from the answers in force; a general-purpose chatbot is limited risk.
    await section.getByText('Revise the answers (saved as a new version)').click();
    await expect
      .poll(() =>
        question(form, 'domain').getByLabel('Creditworthiness or loan screening of individuals').isChecked(),
      )
      .toBe(true);
    await choose(form, 'purpose_function', 'Drafts content that people edit (text, summaries, code)');
    // "None of these" clears the other domains.
    await choose(form, 'domain', /^None of these \(general/);
    expect(
      await question(form, 'domain')
        .getByLabel('Creditworthiness or loan screening of individuals')
        .isChecked(),
    ).toBe(false);
    await choose(form, 'impact_severity', 'Inconvenience or lost time');
    await choose(form, 'interaction', 'People converse with it directly (chatbot, voice assistant)');
    await expect.poll(() => preview.getAttribute('data-tier')).toBe('limited');
    await previewControls.locator('[data-control="eu.art50.1"]').waitFor();
    expect(
      await question(form, 'interaction')
        .getByLabel('Only trained staff see outputs, inside a tool')
        .isChecked(),
    ).toBe(false);
    await form.getByRole('button', { name: 'Save as a new version' }).click();
    await result.getByRole('heading', { name: 'Result of assessment version 2' }).waitFor();
    expect(await result.getAttribute('data-tier')).toBe('limited');
    await controls.locator('[data-control="eu.art50.1"]').waitFor();
    await controls.locator('[data-control="kr.art31"]').waitFor();
    expect(await controls.locator('[data-control="eu.oversight"]').count()).toBe(0);
    await expect.poll(() => history.getByRole('row').count()).toBe(3);
    await expect
      .poll(() => inventory.getByRole('row').filter({ hasText: 'loan screening' }).textContent())
      .toContain('Limited');

    // An earlier version stays readable from the history.
    await history.getByRole('button', { name: 'Version 1' }).click();
    await result.getByRole('heading', { name: 'Result of assessment version 1' }).waitFor();
    expect(await result.getAttribute('data-tier')).toBe('high');
    const saved = await keel.admin.risk.list({ use_case_id: useCaseId });
    expect(saved.assessments.map((each) => [each.version, each.tier]).sort()).toEqual([
      [1, 'high'],
      [2, 'limited'],
    ]);
    await screenshot(page, 'governance-risk');
  });

  it('lets a viewer read the assessment but not save one', async () => {
    const { keel, browser } = ui;
    const viewer = await createKey(keel.admin, 'risk reader', 'viewer');
    const viewerPage = await browser.newPage();
    try {
      await viewerPage.addInitScript(credentialScript(viewer.key));
      await viewerPage.goto(`${keel.url}/governance`);
      await viewerPage.getByRole('button', { name: 'loan screening' }).click();
      const section = viewerPage.getByRole('region', { name: 'Risk assessment' });
      await section.getByRole('heading', { name: 'Result of assessment version 2' }).waitFor();
      await section.getByText('Revise the answers (saved as a new version)').click();
      const form = section.getByRole('form', { name: 'Risk questionnaire' });
      await form.getByText('Your role can read assessments but not save them').waitFor();
      expect(await form.getByRole('button', { name: 'Save as a new version' }).count()).toBe(0);
      expect(
        await question(form, 'domain')
          .getByLabel(/^None of these \(general/)
          .isDisabled(),
      ).toBe(true);
    } finally {
      await viewerPage.close();
    }
  });

  it('shows the questionnaire and the result in Korean', async () => {
    const { keel, page } = ui;
    await page.goto(`${keel.url}/governance`);
    await page.getByRole('heading', { name: 'Governance', level: 1 }).waitFor();
    await page.getByRole('button', { name: '한국어' }).click();
    await page.getByRole('heading', { name: '거버넌스', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'loan screening' }).click();
    const section = page.getByRole('region', { name: '위험 평가' });
    const result = section.locator('.risk-result');
    await result.getByRole('heading', { name: '평가 버전 2의 결과' }).waitFor();
    await result.getByText('사람들에게 인공지능 시스템과 상호작용하고 있음을 알립니다.').waitFor();
    await result.getByText(/^인공지능기본법: 고영향 인공지능 아님/).waitFor();
    await expect
      .poll(() => section.getByRole('table', { name: '평가 이력' }).getByRole('row').count())
      .toBe(3);
    await section.getByText('답변 수정(새 버전으로 저장)').click();
    const form = section.getByRole('form', { name: '위험 평가 설문' });
    await form.getByText('시스템의 출력은 어떻게 사용됩니까?').waitFor();
    await form.getByRole('button', { name: '새 버전으로 저장' }).waitFor();
    await screenshot(page, 'governance-risk-ko');
    await page.getByRole('button', { name: 'English' }).click();
  });
});
