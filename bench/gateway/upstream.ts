/**
 * The benchmark's upstream: a fake OpenAI server with a fixed reply, no delay, and a 20-chunk
 * SSE stream. Runs in its own process so it does not share an event loop with what it serves.
 */
import { startFakeOpenAI } from '../../src/testing/fake-upstreams/index.js';

const upstream = await startFakeOpenAI({
  reply:
    'Keel benchmark reply: twenty words of fixed text streamed back in twenty chunks so every target does the same work.',
  chunks: 20,
  record: false,
});
process.stdout.write(`${JSON.stringify({ url: upstream.url })}\n`);
process.on('SIGTERM', () => void upstream.close().then(() => process.exit(0)));
