/**
 * The Governance page in Chromium against a real `keel serve`: the inventory and its filters, a
 * refused lifecycle move with its coded reason, a move by button, the approval queue, a
 * factsheet export, and the audit log's chain check — in English and Korean.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, screenshot } from './support/browser.js';
import { signedInConsole } from './support/signed-in.js';

describe.runIf(chromiumAvailable)('Governance page', () => {
  const ui = signedInConsole();

  beforeAll(async () => {
    const claims = await ui.keel.admin.governance.useCases.create({
      name: 'claims triage',
      tags: ['claims'],
    });
    await ui.keel.admin.governance.useCases.create({ name: 'hr screening', tags: ['hr'] });
    await ui.keel.admin.governance.assets.track({
      use_case_id: claims.id,
      kind: 'dataset',
      ref: 'tickets-2025',
      name: 'tickets-2025',
    });
  });

  it('filters the inventory, refuses an out-of-order move with its code, moves by button, exports and verifies', async () => {
    const { keel, page } = ui;
    await page.goto(`${keel.url}/governance`);
    await page.getByRole('heading', { name: 'Governance', level: 1 }).waitFor();
    const inventory = page.getByRole('table', { name: 'Use-case inventory' });
    await inventory.getByText('hr screening').waitFor();
    await inventory.getByText('claims triage').waitFor();
    await page.getByLabel('Tag', { exact: true }).fill('claims');
    await expect.poll(() => inventory.getByRole('row').count()).toBe(2);
    await inventory.getByRole('button', { name: 'claims triage' }).click();

    // Dragging from Idea straight to Deploy is refused, with the coded reason shown.
    const idea = page.getByRole('region', { name: 'Idea' });
    const card = idea.getByRole('listitem').filter({ hasText: 'tickets-2025' });
    await card.dragTo(page.getByRole('region', { name: 'Deploy' }));
    const refusal = page.getByRole('alert').filter({ hasText: 'Could not move tickets-2025' });
    await refusal.getByText('invalid_transition').waitFor();
    await refusal.getByText('transition_out_of_order').waitFor();

    // The button path: Idea → Develop.
    await page.getByRole('button', { name: 'Move tickets-2025 to Develop' }).click();
    await page.getByRole('region', { name: 'Develop' }).getByText('tickets-2025', { exact: true }).waitFor();
    await expect.poll(() => refusal.count()).toBe(0);
    await page.getByText('Nothing waits for approval.').waitFor();

    // The factsheet exports as a file.
    await page.getByRole('heading', { name: 'Factsheet' }).waitFor();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export MD' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/\.md$/);

    // The move is in the audit log, and the chain verifies.
    const audit = page.getByRole('table', { name: 'Audit log' });
    await audit.getByText('governance.asset.transition', { exact: true }).first().waitFor();
    await page.getByRole('button', { name: 'Verify the chain' }).click();
    await page.getByText(/The audit chain is intact: \d+ records checked\./).waitFor();
    await screenshot(page, 'governance');
  });

  it('shows the page in Korean', async () => {
    const { keel, page } = ui;
    await page.goto(`${keel.url}/governance`);
    await page.getByRole('heading', { name: 'Governance', level: 1 }).waitFor();
    await page.getByRole('button', { name: '한국어' }).click();
    await page.getByRole('heading', { name: '거버넌스', level: 1 }).waitFor();
    for (const name of ['유스케이스 목록', '수명 주기', '승인 대기열', '감사 로그'])
      await page.getByRole('heading', { name, level: 2 }).waitFor();
    await page.getByRole('table', { name: '유스케이스 목록' }).getByText('hr screening').waitFor();
    await screenshot(page, 'governance-ko');
    await page.getByRole('button', { name: 'English' }).click();
  });
});
