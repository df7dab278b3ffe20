/**
 * The Data page's RAG sources in Chromium against a real `keel serve`: a query's rows are added as
 * a collection's source with a row template and a schedule (its first sync a job whose progress
 * shows on the new source's row), synced now from the page (the same), a sync already queued when
 * the page is reloaded followed the same way, given a cron schedule (a malformed one is refused
 * with its reason), and a failed sync shows its error; a viewer reads without the editing
 * controls; the panel reads in Korean.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Browser, chromiumAvailable, launchBrowser, screenshotOnFailure } from './support/browser.js';
import { adminKey, type KeelServer, startKeel } from './support/keel-server.js';
import { credentialScript } from './support/session.js';

const tickets = `id,title,body,priority
1,Printer jam,The office printer jams on every second page,high
2,VPN drops,The VPN disconnects after ten minutes,low
3,Laptop,Battery swells,high
`;

describe.runIf(chromiumAvailable)('Data page: tables and queries as RAG sources', () => {
  let keel: KeelServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    [keel, browser] = await Promise.all([startKeel(), launchBrowser()]);
    await keel.admin.data.upload({ name: 'tickets.csv', data: tickets });
    await keel.admin.rag.create({ name: 'support' });
    page = await browser.newPage();
    await page.addInitScript(credentialScript(adminKey));
  });
  screenshotOnFailure(() => page);
  afterAll(async () => {
    await browser?.close();
    await keel?.stop();
  });

  it('adds a query source with a row template and a schedule, syncs it now and reschedules it', async () => {
    await page.goto(`${keel.url}/data`);
    const panel = page.getByRole('region', { name: 'Data as RAG sources' });
    await panel.getByText('No table or query feeds a collection yet.').waitFor();
    const form = page.getByRole('form', { name: 'New RAG source' });
    await form.getByLabel('Collection').selectOption('support');
    await form.getByLabel('A read-only query').check();
    await form
      .getByLabel('Query (read-only SQL)')
      .fill("SELECT id, title, body FROM tickets WHERE priority = 'high'");
    await form.getByLabel('Name of the query’s rows').fill('urgent');
    await form.getByLabel('Row template').fill('Ticket {{id}}: {{title}}\n{{body}}');
    await form.getByLabel(/ID column/).fill('id');
    await form.getByLabel('Schedule of the new source').selectOption('interval');
    await form.getByLabel('Minutes between syncs of the new source').fill('5');
    // The first sync is a job: its event stream is held back a moment so that its progress is
    // seen on the new source's row.
    await page.route('**/api/v1/jobs/*/events', async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 800));
      await route.continue();
    });
    const table = panel.getByRole('table', { name: 'RAG sources' });
    const row = table.getByRole('row').filter({ has: page.getByRole('rowheader', { name: /urgent/ }) });
    await form.getByRole('button', { name: 'Add and sync' }).click();
    await row.getByRole('progressbar', { name: 'Sync of urgent' }).waitFor();
    await panel
      .getByRole('status')
      .filter({ hasText: 'urgent added and synced: 2 rows, 2 to index.' })
      .waitFor();
    await page.unroute('**/api/v1/jobs/*/events');
    await expect.poll(() => row.textContent()).toContain('Every 5 min');
    expect(await row.textContent()).toContain('Ticket {{id}}: {{title}}');
    const [source] = await keel.admin.data.ragSources();
    expect(source).toMatchObject({ table: 'urgent', schedule: { every_seconds: 300 } });
    expect(Date.parse(source!.next_sync_at!)).toBeGreaterThan(Date.now());

    // Nothing changed since: the rows are read again and stay unchanged. "Sync now" queues a job;
    // its event stream is held back a moment so the queued job's progress is seen on the row.
    await page.route('**/api/v1/jobs/*/events', async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 800));
      await route.continue();
    });
    await row.getByRole('button', { name: 'Sync urgent now' }).click();
    const progress = row.getByRole('progressbar', { name: 'Sync of urgent' });
    await progress.waitFor();
    expect(await row.getByRole('button', { name: 'Sync urgent now' }).isDisabled()).toBe(true);
    await panel.getByRole('status').filter({ hasText: 'urgent synced: 2 rows, 0 to index.' }).waitFor();
    await page.unroute('**/api/v1/jobs/*/events');
    await progress.waitFor({ state: 'detached' });
    const jobs = (await (
      await fetch(`${keel.url}/api/v1/jobs?kind=data.rag_source.sync&status=succeeded`, {
        headers: { authorization: `Bearer ${adminKey}` },
      })
    ).json()) as { jobs: Array<{ summary: Record<string, unknown> }> };
    expect(jobs.jobs.filter((job) => job.summary.trigger === 'manual')).toHaveLength(1);
    expect(jobs.jobs.filter((job) => job.summary.trigger === 'create')).toHaveLength(1);
    await expect.poll(() => row.textContent()).toContain('2 rows, 0 to index');

    await row.getByRole('combobox', { name: 'Schedule of urgent' }).selectOption('cron');
    await row.getByLabel('Cron expression for urgent').fill('99 * * * *');
    await row.getByRole('button', { name: 'Save schedule of urgent' }).click();
    const refused = panel
      .getByRole('alert')
      .filter({ hasText: 'The RAG source could not be saved or synced' });
    await refused.waitFor();
    expect(await refused.textContent()).toContain('The cron minute field takes 0–59, not 99.');
    await row.getByLabel('Cron expression for urgent').fill('0 3 * * *');
    await row.getByRole('button', { name: 'Save schedule of urgent' }).click();
    await panel.getByRole('status').filter({ hasText: 'Schedule of urgent saved.' }).waitFor();
    await expect.poll(() => row.textContent()).toContain('Cron 0 3 * * * (UTC)');
    expect((await keel.admin.data.ragSources())[0]).toMatchObject({ schedule: { cron: '0 3 * * *' } });
  });

  it('follows a sync already queued when the page is loaded, as after "Sync now"', {
    timeout: 240_000,
  }, async () => {
    // Syncs run one at a time: a large table's first sync runs while urgent's waits behind it.
    const rows = Array.from({ length: 20_000 }, (_, i) => `${i},Ticket ${i} about printer ${i % 97}`);
    await keel.admin.data.upload({ name: 'backlog.csv', data: `id,title\n${rows.join('\n')}\n` });
    const backlog = await keel.admin.data.addRagSource({
      collection: 'support',
      table: 'backlog',
      text_columns: ['title'],
      id_column: 'id',
      max_rows: 20_000,
    });
    const [urgent] = await keel.admin.data.ragSources();
    const queued = await keel.admin.data.syncRagSource(urgent!.id);
    expect(queued.status).toBe('queued');
    expect((await keel.admin.data.ragSource(urgent!.id)).running_job).toBe(queued.id);

    await page.goto(`${keel.url}/data`);
    const panel = page.getByRole('region', { name: 'Data as RAG sources' });
    const row = panel.getByRole('row').filter({ has: page.getByRole('rowheader', { name: /urgent/ }) });
    // Nothing is clicked: the notice of urgent's sync appears only because the page, reading the
    // sources, found its job queued and followed it to the end. (Its progress bar is on the row
    // while the job waits behind the large table's, a time that depends on the machine: the
    // first test sees that bar.)
    const synced = panel.getByRole('status').filter({ hasText: 'urgent synced: 2 rows, 0 to index.' });
    await synced.waitFor({ timeout: 120_000 });
    await row.getByRole('progressbar', { name: 'Sync of urgent' }).waitFor({ state: 'detached' });
    expect((await keel.admin.data.waitForSync(queued.id)).status).toBe('succeeded');
    // The large table's sync ran first and ended before urgent's: its job, found on the sources
    // read before urgent's ended, is not followed again (the notice stays urgent's).
    expect((await keel.admin.data.waitForSync(backlog.job.id)).status).toBe('succeeded');
    await page.waitForTimeout(1500);
    expect(await synced.count()).toBe(1);
    await expect
      .poll(async () => (await keel.admin.data.ragSources()).map((source) => source.running_job))
      .toEqual([null, null]);
    await keel.admin.data.removeRagSource(backlog.source.id);
    await keel.admin.data.remove('backlog');
  });

  it('shows the error of a failed sync on the source', async () => {
    await keel.admin.data.remove('tickets');
    await page.goto(`${keel.url}/data`);
    const panel = page.getByRole('region', { name: 'Data as RAG sources' });
    const row = panel.getByRole('row').filter({ has: page.getByRole('rowheader', { name: /urgent/ }) });
    await row.getByRole('button', { name: 'Sync urgent now' }).click();
    // The job fails; its error is shown, and the source read again shows it as its last error.
    await panel
      .getByRole('alert')
      .filter({ hasText: 'The RAG source could not be saved or synced' })
      .waitFor();
    await row
      .getByRole('alert')
      .filter({ hasText: /Last attempt failed/ })
      .waitFor();
    const [source] = await keel.admin.data.ragSources();
    expect(source?.last_error?.code).toBeTruthy();
    // The last good sync is still shown beside the error.
    expect(await row.textContent()).toContain('2 rows');
  });

  it('shows a viewer the sources without editing controls, and reads in Korean', async () => {
    const viewer = await keel.admin.keys.create({ name: 'rag-viewer', role: 'viewer' });
    const viewing = await browser.newPage();
    await viewing.addInitScript(credentialScript(viewer.key));
    try {
      await viewing.goto(`${keel.url}/data`);
      const panel = viewing.getByRole('region', { name: 'Data as RAG sources' });
      await panel.getByRole('rowheader', { name: /urgent/ }).waitFor();
      expect(await panel.getByRole('button', { name: 'Sync urgent now' }).count()).toBe(0);
      expect(await viewing.getByRole('form', { name: 'New RAG source' }).count()).toBe(0);
      await viewing.getByRole('button', { name: '한국어' }).click();
      await viewing.getByRole('heading', { name: 'RAG 소스로 쓰는 데이터', level: 2 }).waitFor();
      await viewing.getByRole('table', { name: 'RAG 소스' }).getByText('Cron 0 3 * * * (UTC)').waitFor();
      await viewing.getByRole('button', { name: 'English' }).click();
    } finally {
      await viewing.close();
    }
  });
});
