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

// A RAG experiment records one evaluation run per grid point, inside the job step for that point.
// The child process is killed after a point's run is recorded and before its step commits (the
// worst moment); the restarted process resumes the experiment, repeats that step, and must find
// the run already recorded for the cell instead of recording a second one.
const child = fileURLToPath(new URL('../../testing/experiment-child.ts', import.meta.url));
const SIZES = [120, 200, 300, 400];
let dataDir: string;

afterAll(async () => {
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('an experiment killed mid-way', () => {
  it('resumes with one evaluation run per grid point, none recorded twice', {
    timeout: 240_000,
  }, async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'keel-experiment-'));
    const proc = spawn(process.execPath, ['--import', 'tsx', child, dataDir, SIZES.join(',')], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    proc.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
    let experimentId = '';
    const recordedBefore: { cell: string; run: string }[] = [];
    for await (const line of createInterface({ input: proc.stdout })) {
      const event = JSON.parse(line) as { event: string; experiment?: string; cell?: string; run?: string };
      if (event.event === 'queued') experimentId = event.experiment!;
      if (event.event === 'recorded') recordedBefore.push({ cell: event.cell!, run: event.run! });
      // The second point's run is recorded; its step has not committed (the child hangs there).
      if (recordedBefore.length === 2) {
        proc.kill('SIGKILL');
        break;
      }
    }
    await exited;
    expect(stderr).toBe('');
    expect(experimentId).not.toBe('');
    expect(recordedBefore.map((entry) => entry.cell)).toEqual(['point:0000', 'point:0001']);

    const config = loadConfig({ env: {}, overrides: { dataDir, logging: { level: 'silent' } } });
    const runtime = await createRuntime(config, { logger: silentLogger, processMetrics: false });
    try {
      const projectId = runtime.services.installation.defaultProjectId;
      const experiment = await runtime.services.rag.experiments.wait(projectId, experimentId, 180_000);
      // First the duplicates, counted from what every recorded run carries (its target's source
      // and cell), so a second run for the killed point fails here, before anything else is read.
      // Seen failing with the fix reverted (no lookup of the cell's run, no unique index).
      const { rows: perCell } = await runtime.services.db.query<{ cell: string; runs: number }>(
        `SELECT target -> 'resolved' -> 'source' ->> 'cell' AS cell, count(*)::int AS runs FROM eval_runs
          WHERE project_id = $1 AND target -> 'resolved' -> 'source' ->> 'id' = $2 GROUP BY 1 ORDER BY 1`,
        [projectId, experimentId],
      );
      expect(perCell).toEqual(
        ['point:0000', 'point:0001', 'point:0002', 'point:0003'].map((cell) => ({ cell, runs: 1 })),
      );
      expect(experiment.status).toBe('succeeded');
      expect(experiment.results).toHaveLength(SIZES.length);
      const { rows } = await runtime.services.db.query<{ id: string; source_cell: string }>(
        'SELECT id, source_cell FROM eval_runs WHERE project_id = $1 AND source_id = $2 ORDER BY source_cell',
        [projectId, experimentId],
      );
      // The killed point's run is the one recorded before the kill, and the experiment names it.
      expect(rows[1]).toEqual({ id: recordedBefore[1]!.run, source_cell: 'point:0001' });
      expect(new Set(experiment.results.map((result) => result.run_id))).toEqual(
        new Set(rows.map((row) => row.id)),
      );
    } finally {
      await runtime.close();
    }
  });
});
