/**
 * @module test/fuzz/support/isolation-matrix
 * Every operation × every principal that must be refused: no key, a wrong, revoked or expired
 * key, a key of another project, and each role of the right project that lacks the permission.
 * A 2xx (or 3xx) to any of them, or a marker of project B in an answer to someone outside B, is
 * "wrongly allowed". Refusals with an unexpected status are counted apart: they are not holes,
 * but say the matrix did not test what it meant to (a 400 means validation ran before the check).
 */
import { type Role, roleAllows, roles } from '../../../src/platform/roles.js';
import type { FuzzKeel } from './fuzz-keel.js';
import type { Operation } from './openapi-operations.js';
import { requirements } from './permissions.js';
import { type ApiRequest, describeRequest, send } from './send.js';
import { validRequest } from './valid-requests.js';
import type { World } from './world.js';

export type Principal =
  | 'no key'
  | 'wrong key'
  | 'revoked key'
  | 'expired key'
  | 'other project admin'
  | 'other project viewer'
  | `role ${Role}`;

export interface MatrixFinding {
  operation: string;
  principal: Principal;
  status: number;
  request: string;
  detail: string;
}

export interface MatrixReport {
  tried: number;
  perOperation: Map<string, { tried: number; wronglyAllowed: number }>;
  wronglyAllowed: MatrixFinding[];
  /** Refused, but not with the status expected (401 for bad keys, 403/404 otherwise). */
  unexpectedStatus: MatrixFinding[];
}

interface Attempt {
  principal: Principal;
  key: string | null;
  expect: number[];
  /** Outside project B: B's markers must not reach it. */
  outsider: boolean;
  /** A `self` operation: the answer may be a 2xx, about the caller only. */
  mayPass?: boolean;
  withoutProjectHeader?: boolean;
}

function attemptsFor(op: Operation, world: World): Attempt[] {
  const requirement = requirements[op.key];
  if (!requirement)
    throw new Error(`no requirement declared for ${op.key} (test/fuzz/support/permissions.ts)`);
  if (requirement.kind === 'public') return [];
  const unauthenticated: Attempt[] = [
    { principal: 'no key', key: null, expect: [401], outsider: true },
    { principal: 'wrong key', key: 'keel_this-key-does-not-exist-0000000000', expect: [401], outsider: true },
    { principal: 'revoked key', key: world.revokedKey, expect: [401], outsider: true },
    { principal: 'expired key', key: world.expiredKey, expect: [401], outsider: true },
  ];
  if (requirement.kind === 'self')
    return [
      ...unauthenticated,
      {
        principal: 'other project admin',
        key: world.keysA.admin,
        expect: [],
        outsider: true,
        mayPass: true,
        withoutProjectHeader: true,
      },
    ];
  const others: Attempt[] = [
    { principal: 'other project admin', key: world.keysA.admin, expect: [403, 404], outsider: true },
    { principal: 'other project viewer', key: world.keysA.viewer, expect: [403, 404], outsider: true },
  ];
  const lacking = roles.filter(
    (role) =>
      requirement.kind === 'org-admin' ||
      !(
        roleAllows(role, requirement.permission) ||
        (requirement.or !== undefined && roleAllows(role, requirement.or))
      ),
  );
  return [
    ...unauthenticated,
    ...others,
    ...lacking.map(
      (role): Attempt => ({
        principal: `role ${role}`,
        key: world.keysB[role],
        expect: [403, 404],
        outsider: false,
      }),
    ),
  ];
}

export async function runIsolationMatrix(
  keel: FuzzKeel,
  world: World,
  operations: Operation[],
): Promise<MatrixReport> {
  const report: MatrixReport = {
    tried: 0,
    perOperation: new Map(),
    wronglyAllowed: [],
    unexpectedStatus: [],
  };
  // Deleting operations last, so a wrongly allowed delete cannot hide later findings.
  const ordered = [...operations].sort(
    (a, b) => Number(a.method === 'DELETE') - Number(b.method === 'DELETE'),
  );
  for (const op of ordered) {
    const row = { tried: 0, wronglyAllowed: 0 };
    report.perOperation.set(op.key, row);
    for (const attempt of attemptsFor(op, world)) {
      const base = validRequest(op, world);
      const request: ApiRequest = {
        ...base,
        key: attempt.key,
        ...(attempt.withoutProjectHeader ? { headers: {} } : {}),
      };
      const answer = await send(keel.app, request);
      row.tried++;
      report.tried++;
      const finding = (detail: string): MatrixFinding => ({
        operation: op.key,
        principal: attempt.principal,
        status: answer.status,
        request: describeRequest(request),
        detail,
      });
      const leaked = attempt.outsider
        ? [...world.markers, ...(attempt.withoutProjectHeader ? [world.projectB] : [])].find((m) =>
            answer.text.includes(m),
          )
        : undefined;
      if (leaked) {
        row.wronglyAllowed++;
        report.wronglyAllowed.push(finding(`project B's "${leaked}" in the answer`));
      } else if (!attempt.mayPass && answer.status < 400) {
        row.wronglyAllowed++;
        report.wronglyAllowed.push(finding(answer.text.slice(0, 160)));
      } else if (!attempt.mayPass && !attempt.expect.includes(answer.status)) {
        report.unexpectedStatus.push(finding(answer.text.slice(0, 160)));
      }
    }
  }
  return report;
}
