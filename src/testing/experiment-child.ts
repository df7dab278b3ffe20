/**
 * @module testing/experiment-child
 * A Keel process that runs a RAG experiment and stops dead in the middle of a grid point: after
 * the point's evaluation run is recorded, before the job step that holds it commits. It reports
 * on stdout, one JSON line per event (`queued`, `recorded`), and then hangs at the second
 * recording, so a test can kill it there (SIGKILL) and check that a restart resumes the
 * experiment without recording that point's run twice.
 *
 *   node --import tsx src/testing/experiment-child.ts <data-dir> <grid sizes, comma-separated>
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../core/config.js';
import { silentLogger } from '../core/logger.js';
import { createRuntime } from '../server/runtime.js';

export const experimentDocument = [
  'The warranty lasts two years from the date of purchase.',
  'Refunds are paid within 14 days of the return. Contact billing for help.',
  'Batteries are covered for one year. Screens are covered for six months.',
  '보증 기간은 구입일로부터 2년입니다. 배터리는 1년 동안 보증됩니다.',
].join('\n\n');

export const experimentQuestions = [
  { question: 'How long is the warranty?', passages: ['The warranty lasts two years'] },
  { question: 'When are refunds paid?', passages: ['Refunds are paid within 14 days'] },
  { question: '보증 기간은?', passages: ['보증 기간은 구입일로부터 2년'] },
];

async function main(): Promise<void> {
  const [dataDir, sizes] = process.argv.slice(2);
  const config = loadConfig({ env: {}, overrides: { dataDir: dataDir!, logging: { level: 'silent' } } });
  const runtime = await createRuntime(config, { logger: silentLogger, processMetrics: false });
  const rag = runtime.services.rag;
  const caller = { projectId: runtime.services.installation.defaultProjectId, keyId: null, actor: null };
  await rag.create(caller, { name: 'manuals' });
  const { job: ingest } = await rag.addDocuments(caller, 'manuals', [
    { name: 'manual.txt', mediaType: 'text/plain', data: new TextEncoder().encode(experimentDocument) },
  ]);
  await rag.ingestion.wait(caller.projectId, ingest!.id);
  // The evaluation module's recorder, wrapped: the second recording never returns.
  const recorder = runtime.services.evals.recorder;
  let recorded = 0;
  // biome-ignore lint/correctness/useHookAtTopLevel: not a React hook (the runner's recorder wiring).
  rag.experiments.useEvaluations({
    ...recorder,
    record: async (run) => {
      const result = await recorder.record(run);
      recorded++;
      process.stdout.write(
        `${JSON.stringify({ event: 'recorded', cell: run.source.cell, run: result.id })}\n`,
      );
      if (recorded === 2) await new Promise(() => {});
      return result;
    },
  });
  const experiment = await rag.startExperiment(caller, 'manuals', {
    questions: experimentQuestions,
    grid: { size: sizes!.split(',').map(Number), mode: ['keyword'] },
    max_runs: 48,
  });
  process.stdout.write(`${JSON.stringify({ event: 'queued', experiment: experiment.id })}\n`);
}

// Run only as a script (tests import the document and questions from here).
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    process.stderr.write(`${(error as Error).stack}\n`);
    process.exit(1);
  });
}
