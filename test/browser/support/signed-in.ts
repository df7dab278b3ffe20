/**
 * The set-up most console tests share: a real `keel serve` and Chromium started together, a page
 * signed in as the admin (in English), a screenshot when a test fails, and both stopped after the
 * file. Call it at the top of a `describe`; read `keel` and `page` inside the tests.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { type Browser, launchBrowser, screenshotOnFailure } from './browser.js';
import { adminKey, type KeelServer, startKeel } from './keel-server.js';
import { credentialScript } from './session.js';

export interface SignedInConsole {
  readonly keel: KeelServer;
  readonly browser: Browser;
  readonly page: Page;
}

/** `env`: the server's extra environment, or a function that prepares it (e.g. starts a fake upstream first). */
export function signedInConsole(
  env: Record<string, string> | (() => Promise<Record<string, string>>) = {},
): SignedInConsole {
  const state = {} as { keel: KeelServer; browser: Browser; page: Page };
  beforeAll(async () => {
    const start = async () => startKeel(typeof env === 'function' ? await env() : env);
    [state.keel, state.browser] = await Promise.all([start(), launchBrowser()]);
    state.page = await state.browser.newPage();
    await state.page.addInitScript(credentialScript(adminKey));
  });
  screenshotOnFailure(() => state.page);
  afterAll(async () => {
    await state.browser?.close();
    await state.keel?.stop();
  });
  return state;
}
