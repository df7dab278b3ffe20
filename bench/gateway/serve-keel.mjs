/**
 * Keel served for a benchmark, as `npm start` serves it: the built runtime and app from dist/ on
 * 127.0.0.1, its URL announced as one JSON line on stdout (what processes.ts waits for), closed
 * on SIGTERM. `prepare` runs on the started runtime before it listens (sources to add …);
 * `cleanUp` after it closes.
 */
import { silentLogger } from '../../dist/core/logger.js';
import { createApp } from '../../dist/server/app.js';
import { listen } from '../../dist/server/listen.js';
import { createRuntime } from '../../dist/server/runtime.js';

export async function serveKeel(config, { prepare, cleanUp } = {}) {
  const runtime = await createRuntime(config, { logger: silentLogger });
  await prepare?.(runtime.services);
  const server = await listen(createApp(runtime.services));
  process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);
  process.on(
    'SIGTERM',
    () =>
      void server
        .close(100)
        .then(() => runtime.close())
        .then(() => cleanUp?.())
        .then(() => process.exit(0)),
  );
}
