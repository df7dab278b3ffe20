import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../core/config.js';
import { silentLogger } from '../../core/logger.js';
import { createRuntime } from '../../server/runtime.js';
import { documentText } from '../../testing/ingest-child.js';
import { loadDocument } from '../loading/load-document.js';
import { parseCollectionConfig } from './collection-store.js';
import { chunksFor } from './ingestion.js';

const child = fileURLToPath(new URL('../../testing/ingest-child.ts', import.meta.url));
const DOCUMENTS = 8;
let dataDir: string;

afterAll(async () => {
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('ingestion after a crash', () => {
  it('resumes a job killed mid-way with no duplicate and no orphan chunk', { timeout: 120_000 }, async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'keel-resume-'));
    const proc = spawn(process.execPath, ['--import', 'tsx', child, dataDir, String(DOCUMENTS)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    proc.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
    let jobId = '';
    let killedAt = -1;
    for await (const line of createInterface({ input: proc.stdout })) {
      const event = JSON.parse(line) as { event: string; job?: string; done?: number };
      if (event.event === 'queued') jobId = event.job!;
      if (event.event === 'progress' && event.done! >= 2) {
        killedAt = event.done!;
        proc.kill('SIGKILL');
        break;
      }
    }
    await exited;
    expect(stderr).toBe('');
    expect(killedAt).toBeGreaterThanOrEqual(2);
    expect(killedAt).toBeLessThan(DOCUMENTS);

    // A fresh process on the same data directory resumes the job on start.
    const config = loadConfig({ env: {}, overrides: { dataDir, logging: { level: 'silent' } } });
    const runtime = await createRuntime(config, { logger: silentLogger, processMetrics: false });
    try {
      const projectId = runtime.services.installation.defaultProjectId;
      const job = await runtime.services.rag.ingestion.wait(projectId, jobId);
      expect(job).toMatchObject({ status: 'succeeded', total: DOCUMENTS, done: DOCUMENTS, failed: 0 });
      const db = runtime.services.db;
      const { rows: documents } = await db.query<{
        name: string;
        status: string;
        chunk_count: number;
        n: number;
      }>(
        `SELECT d.name, d.status, d.chunk_count, (SELECT count(*)::int FROM rag_chunks k WHERE k.document_id = d.id) AS n
           FROM rag_documents d ORDER BY d.name`,
      );
      expect(documents).toHaveLength(DOCUMENTS);
      const collection = await runtime.services.rag.store.get(projectId, 'resume');
      for (const [index, document] of documents.entries()) {
        expect(document.status).toBe('ready');
        const loaded = await loadDocument({
          data: new TextEncoder().encode(documentText(index)),
          fileName: document.name,
        });
        const expected = chunksFor(loaded, parseCollectionConfig(collection.config)).length;
        expect(document.chunk_count).toBe(expected);
        expect(document.n).toBe(expected);
      }
      const { rows: orphans } = await db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM rag_chunks k WHERE NOT EXISTS (SELECT 1 FROM rag_documents d WHERE d.id = k.document_id)',
      );
      expect(orphans[0]!.n).toBe(0);
      const search = await runtime.services.rag.search({ projectId, keyId: null, actor: null }, 'resume', {
        query: 'document 7 topic 705',
        mode: 'keyword',
        top_k: 1,
      });
      expect(search.hits[0]!.document).toBe('doc-7.txt');
    } finally {
      await runtime.close();
    }
  });
});
