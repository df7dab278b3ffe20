/**
 * Governance decisions in Chromium against a real `keel serve`: a validator decides go and no-go
 * in the approval queue; an administrator drags the approved asset into Deploy and sees a refused
 * drag's coded reason; the factsheet's PDF export, in Korean, downloads a PDF whose text
 * (pdftotext) is the Korean factsheet; and after an audit record is edited in the database, the
 * console's chain check names it — and the failed check is itself recorded in the chain.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/storage/index.js';
import { minimalRiskAnswers } from '../../src/testing/risk-answers.js';
import { chromiumAvailable, screenshot } from './support/browser.js';
import type { KeelServer } from './support/keel-server.js';
import { createKey, credentialScript } from './support/session.js';
import { signedInConsole } from './support/signed-in.js';

const useCaseName = '보험 청구 분류';

describe.runIf(chromiumAvailable)('Governance decisions', () => {
  // The signed-in page is the administrator's; a validator gets a page of its own.
  const ui = signedInConsole();
  let keel: KeelServer;
  let validator: Page;
  let admin: Page;
  let downloads: string;

  beforeAll(async () => {
    ({ keel, page: admin } = ui);
    downloads = await mkdtemp(path.join(tmpdir(), 'keel-downloads-'));
    const api = keel.admin;
    const useCase = await api.governance.useCases.create({
      name: useCaseName,
      purpose: '고객 청구서를 담당 부서로 분류합니다',
      business_owner: '청구팀',
      tags: ['claims'],
      approach: { name: 'prompted', thresholds: { accuracy: { min: 0.8 } } },
    });
    await api.governance.assets.track({
      use_case_id: useCase.id,
      kind: 'evaluation_run',
      ref: 'claims-eval-1',
      results: { metrics: { accuracy: 0.9 } },
    });
    await api.risk.assess({ use_case_id: useCase.id, answers: minimalRiskAnswers('청구서 분류 보조') });
    // Two models up to the approve stage (evidence, risk assessment and validation report).
    for (const [name, ref] of [
      ['claims model', 'llamacpp:tiny'],
      ['triage model', 'llamacpp:tiny-ko'],
    ] as const) {
      const asset = await api.governance.assets.track({ use_case_id: useCase.id, kind: 'model', ref, name });
      for (const to of ['develop', 'validate'] as const)
        await api.governance.assets.transition(asset.id, { to });
      await api.governance.assets.report(asset.id, { summary: '200건의 청구서로 확인', passed: true });
      await api.governance.assets.transition(asset.id, { to: 'approve' });
    }
    // The administrator tracked the assets, so a validator (not their creator) decides.
    const { key } = await createKey(api, 'validator one', 'validator');
    validator = await ui.browser.newPage();
    await validator.addInitScript(credentialScript(key));
  });
  afterAll(async () => {
    if (downloads) await rm(downloads, { recursive: true, force: true });
  });

  async function openUseCase(page: Page) {
    await page.goto(`${keel.url}/governance`);
    await page.getByRole('heading', { name: 'Governance', level: 1 }).waitFor();
    await page
      .getByRole('table', { name: 'Use-case inventory' })
      .getByRole('button', { name: useCaseName })
      .click();
    // The sections above the board load on their own: wait for them, or a drag could start on a
    // card that the late layout moved under the pointer.
    await page
      .getByRole('region', { name: 'Risk assessment' })
      .getByText('Version 1', { exact: true })
      .waitFor();
    await page
      .getByRole('region', { name: 'Lifecycle' })
      .getByText('claims model', { exact: true })
      .waitFor();
  }

  it('decides go and no-go in the approval queue as a validator', async () => {
    await openUseCase(validator);
    const queue = validator.getByRole('region', { name: 'Approval queue' });
    await queue.getByText('claims model', { exact: true }).waitFor();
    await queue.getByText('triage model', { exact: true }).waitFor();

    const entry = (name: string) => queue.getByRole('listitem').filter({ hasText: name });
    await entry('claims model').getByLabel('Reasons for claims model').fill('정확도 0.9, 검증 보고서 확인');
    await entry('claims model').getByRole('button', { name: 'Go', exact: true }).click();
    const recorded = queue.getByRole('status');
    await recorded.getByText('Go decision recorded. The asset is now approved.').waitFor();

    await entry('triage model').getByLabel('Reasons for triage model').fill('한국어 출력 품질 미흡');
    await entry('triage model').getByRole('button', { name: 'No-go', exact: true }).click();
    await recorded.getByText('No-go decision recorded.').waitFor();
    await queue.getByText('Nothing waits for approval.').waitFor();

    const approvals = await keel.admin.governance.approvals.list();
    expect(approvals.approvals.map((approval) => [approval.decision, approval.approver_role]).sort()).toEqual(
      [
        ['go', 'validator'],
        ['no_go', 'validator'],
      ],
    );
    await screenshot(validator, 'governance-decisions');
  });

  it('drags the approved asset into Deploy, and shows the coded reason of a refused drag', async () => {
    await openUseCase(admin);
    const approve = admin.getByRole('region', { name: 'Approve' });
    const deploy = admin.getByRole('region', { name: 'Deploy' });
    await approve.getByRole('listitem').filter({ hasText: 'claims model' }).dragTo(deploy);
    await deploy.getByText('claims model', { exact: true }).waitFor();
    await expect.poll(async () => approve.getByText('claims model', { exact: true }).count()).toBe(0);
    const [moved] = (await keel.admin.governance.assets.list({ stage: 'deploy' })).assets;
    expect(moved).toMatchObject({ name: 'claims model', stage: 'deploy', approved: true });

    // Skipping Deploy is refused; the board says why, with the code.
    await approve
      .getByRole('listitem')
      .filter({ hasText: 'triage model' })
      .dragTo(admin.getByRole('region', { name: 'Monitor' }));
    const refusal = admin.getByRole('alert').filter({ hasText: 'Could not move triage model' });
    await refusal.getByText('invalid_transition').waitFor();
    await refusal.getByText('transition_out_of_order').waitFor();
    expect(await approve.getByText('triage model', { exact: true }).count()).toBe(1);
  });

  it('exports the factsheet as a Korean PDF from the console', async () => {
    await openUseCase(admin);
    await admin.getByRole('button', { name: '한국어' }).click();
    await admin.getByRole('heading', { name: '팩트시트', level: 2 }).waitFor();
    const [download] = await Promise.all([
      admin.waitForEvent('download'),
      admin.getByRole('button', { name: 'PDF 내보내기' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/\.pdf$/);
    const file = path.join(downloads, download.suggestedFilename());
    await download.saveAs(file);
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
    expect(text).toContain(useCaseName);
    expect(text).toContain('고객 청구서를 담당 부서로 분류합니다');
    expect(text).toContain('claims model');
    await admin.getByRole('button', { name: 'English' }).click();
  });

  it('names the record edited in the database when the chain is verified, and logs the failed check', async () => {
    const [decision] = (await keel.admin.audit.list({ action: 'governance.approval.decide', order: 'asc' }))
      .records;
    expect(decision).toBeDefined();
    await keel.restart(async () => {
      const db = await openDatabase({ dataDir: keel.dataDir });
      try {
        await db.exec(
          `ALTER TABLE audit_log DISABLE TRIGGER USER; UPDATE audit_log SET actor_role = 'admin' WHERE seq = ${decision!.seq}; ALTER TABLE audit_log ENABLE TRIGGER USER`,
        );
      } finally {
        await db.close();
      }
    });
    await admin.goto(`${keel.url}/governance`);
    await admin.getByRole('heading', { name: 'Governance', level: 1 }).waitFor();
    await admin.getByRole('button', { name: 'Verify the chain' }).click();
    const verdict = admin.getByRole('status').filter({ hasText: 'The audit chain is broken' });
    await verdict.getByText(`The audit chain is broken at record ${decision!.seq}.`).waitFor();
    await verdict.getByText('altered', { exact: true }).waitFor();
    // The failed check is itself in the chain (organisation-level, so not in the project's log).
    const [failed] = (await keel.admin.audit.list({ action: 'audit.verify.failed' })).records;
    expect(failed).toMatchObject({
      actor: { role: 'admin' },
      target: { type: 'audit_log', id: String(decision!.seq) },
      detail: { problem_seq: decision!.seq, problem_kind: 'altered' },
    });
    await screenshot(admin, 'governance-broken-chain');
  });
});
