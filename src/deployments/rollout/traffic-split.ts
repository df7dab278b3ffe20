/**
 * @module deployments/rollout/traffic-split
 * Splitting a deployment's traffic between two of its versions by weight. With mode `request_id`
 * the choice is a hash of the request id, so the same id always lands on the same version (retries
 * and replays are stable); with `random`, each request draws.
 */
import { createHash } from 'node:crypto';
import { KeelError } from '../../core/errors.js';

export interface TrafficSplit {
  versions: { version: number; weight: number }[];
  mode: 'request_id' | 'random';
}

/** Checks a split against the deployment's versions: two distinct, existing versions, weights summing above 0. */
export function checkSplit(split: TrafficSplit, known: readonly number[]): TrafficSplit {
  const issues: { code: string; path: (string | number)[]; message: string }[] = [];
  if (split.versions.length !== 2)
    issues.push({ code: 'invalid_split', path: ['versions'], message: 'a split names exactly two versions' });
  split.versions.forEach((entry, index) => {
    if (!known.includes(entry.version))
      issues.push({
        code: 'unknown_version',
        path: ['versions', index, 'version'],
        message: `the deployment has no version ${entry.version} (it has: ${known.join(', ')})`,
      });
    if (!Number.isFinite(entry.weight) || entry.weight < 0)
      issues.push({
        code: 'invalid_weight',
        path: ['versions', index, 'weight'],
        message: 'weights are numbers ≥ 0',
      });
  });
  if (split.versions.length === 2 && split.versions[0]!.version === split.versions[1]!.version)
    issues.push({
      code: 'invalid_split',
      path: ['versions', 1, 'version'],
      message: 'the two versions must differ',
    });
  if (split.versions.reduce((sum, entry) => sum + Math.max(entry.weight, 0), 0) <= 0)
    issues.push({
      code: 'invalid_weight',
      path: ['versions'],
      message: 'at least one weight must be above 0',
    });
  if (issues.length) throw new KeelError('invalid_request', issues[0]!.message, { issues });
  return split;
}

/** A number in [0, 1) from the request id: the same id, the same number. */
export function unitHash(requestId: string): number {
  return createHash('sha256').update(requestId).digest().readUInt32BE(0) / 2 ** 32;
}

/** The version a request is served by under the split. */
export function pickVersion(
  split: TrafficSplit,
  requestId: string,
  random: () => number = Math.random,
): number {
  const total = split.versions.reduce((sum, entry) => sum + entry.weight, 0);
  const point = (split.mode === 'random' ? random() : unitHash(requestId)) * total;
  let reached = 0;
  for (const entry of split.versions) {
    reached += entry.weight;
    if (point < reached) return entry.version;
  }
  return split.versions[split.versions.length - 1]!.version;
}
