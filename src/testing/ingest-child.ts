/**
 * @module testing/ingest-child
 * A Keel process that ingests documents slowly and reports progress on stdout, one JSON line per
 * step, so a test can kill it mid-job (SIGKILL) and check that a restart resumes the job.
 *
 *   node --import tsx src/testing/ingest-child.ts <data-dir> <documents>
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../core/config.js';
import { silentLogger } from '../core/logger.js';
import { createHashingProvider, HashingEmbeddingModel } from '../models/providers/hashing/index.js';
import { createRuntime } from '../server/runtime.js';
import type { EmbedOptions } from '../spec/embedding-model.js';

export function documentText(index: number): string {
  const lines = [];
  for (let line = 0; line < 12; line++)
    lines.push(
      `문서 ${index}의 ${line}번째 문단입니다. Paragraph ${line} of document ${index} talks about topic ${index * 100 + line}.`,
    );
  return lines.join('\n\n');
}

async function main(): Promise<void> {
  const [dataDir, count] = process.argv.slice(2);
  const base = createHashingProvider();
  // Each embedding call takes 150 ms: a job of several documents is still running when killed.
  const slow = {
    ...base,
    embeddingModel(modelId: string) {
      const model = base.embeddingModel(modelId) as HashingEmbeddingModel;
      return Object.assign(Object.create(Object.getPrototypeOf(model)), model, {
        doEmbed: async (options: EmbedOptions) => {
          await new Promise((resolve) => setTimeout(resolve, 150));
          return HashingEmbeddingModel.prototype.doEmbed.call(model, options);
        },
        dimensions: () => model.dimensions(),
      });
    },
  };
  const config = loadConfig({ env: {}, overrides: { dataDir: dataDir!, logging: { level: 'silent' } } });
  const runtime = await createRuntime(config, {
    providers: [slow],
    logger: silentLogger,
    processMetrics: false,
  });
  const rag = runtime.services.rag;
  const caller = { projectId: runtime.services.installation.defaultProjectId, keyId: null, actor: null };
  await rag.create(caller, {
    name: 'resume',
    config: { chunker: { strategy: 'recursive', size: 200, overlap: 0 } },
  });
  const encoder = new TextEncoder();
  const { job } = await rag.addDocuments(
    caller,
    'resume',
    Array.from({ length: Number(count) }, (_, index) => ({
      name: `doc-${index}.txt`,
      mediaType: 'text/plain',
      data: encoder.encode(documentText(index)),
    })),
  );
  process.stdout.write(`${JSON.stringify({ event: 'queued', job: job!.id })}\n`);
  for await (const update of await rag.followJob(caller, 'resume', job!.id)) {
    process.stdout.write(
      `${JSON.stringify({ event: 'progress', done: update.done, status: update.status })}\n`,
    );
  }
}

// Run only as a script (tests import documentText from here).
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    process.stderr.write(`${(error as Error).stack}\n`);
    process.exit(1);
  });
}
