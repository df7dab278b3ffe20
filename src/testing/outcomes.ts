/**
 * @module testing/outcomes
 * Small helpers for what tests check again and again: the coded error a promise ends with, and a
 * job left as a worker that died would leave it.
 */
import { KeelError } from '../core/errors.js';
import type { DatabaseSession } from '../spec/database.js';

/**
 * `code:issue` of the KeelError the promise rejects with (`code:issue:message` with `message`),
 * or `ok`; anything but a KeelError is rethrown.
 */
export async function codeOf(
  promise: Promise<unknown>,
  options: { message?: boolean } = {},
): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (!(error instanceof KeelError)) throw error;
    const coded = `${error.code}:${error.issues?.[0]?.code ?? ''}`;
    return options.message ? `${coded}:${error.message}` : coded;
  }
  return 'ok';
}

/**
 * Leaves the job running under a lease that expired, held by a worker that is gone: what a
 * process killed mid-job leaves behind, for the job service to claim again.
 */
export async function leaveToDeadWorker(db: DatabaseSession, jobId: string): Promise<void> {
  await db.query(
    `UPDATE jobs SET status = 'running', attempts = 1, lease_owner = 'a-worker-that-died',
       lease_expires_at = now() - interval '1 second', started_at = now(), finished_at = NULL WHERE id = $1`,
    [jobId],
  );
}
