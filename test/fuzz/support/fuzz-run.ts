/**
 * @module test/fuzz/support/fuzz-run
 * One fuzz run over every operation: sends the generated cases one at a time while a probe calls
 * `/health` on a real socket, then judges each answer (no 5xx, a JSON error in the family's
 * dialect), confirms suspected stalls by replaying the request alone, and reads the log for the
 * planted secrets. Shared by the CI suite and the long benchmark.
 */

import { errorShapeProblem } from './error-shape.js';
import { type FuzzClass, fuzzCases } from './fuzz-cases.js';
import { type FuzzKeel, TEST_ADMIN_KEY } from './fuzz-keel.js';
import { HealthProbe } from './health-probe.js';
import { seedValues } from './hostile-values.js';
import { familyOf, type Operation } from './openapi-operations.js';
import { type ApiRequest, describeRequest, send } from './send.js';
import { validRequest } from './valid-requests.js';
import type { World } from './world.js';

export type FailureClass = 'server-error' | 'not-json' | 'error-shape' | 'stall' | 'threw' | 'secret-in-log';

export interface FuzzFailure {
  failure: FailureClass;
  fuzzClass: FuzzClass | 'log';
  operation: string;
  status: number;
  request: string;
  detail: string;
}

export interface FuzzReport {
  requests: number;
  perOperation: Map<string, { tried: number; failures: number }>;
  failures: FuzzFailure[];
  healthMaxMs: number;
  healthSamples: number;
}

export interface FuzzOptions {
  seed: number;
  /** Cases per class per operation. */
  runs: number;
  stallMs?: number;
  onProgress?: (done: number, total: number) => void;
}

function judge(
  request: ApiRequest,
  status: number,
  contentType: string,
  json: unknown,
  text: string,
): { failure: FailureClass; detail: string } | undefined {
  if (status >= 500) return { failure: 'server-error', detail: text.slice(0, 200) };
  if (status < 400) return undefined;
  if (json === undefined) return { failure: 'not-json', detail: `${contentType}: ${text.slice(0, 120)}` };
  // The dialect of the path the server sees: a URL resolves dot segments (`/v1/prompts/../x`).
  const pathname = new URL(request.path, 'http://keel.test').pathname;
  const problem = errorShapeProblem(familyOf(pathname), status, json);
  return problem ? { failure: 'error-shape', detail: `${problem}: ${text.slice(0, 120)}` } : undefined;
}

export async function runFuzz(
  keel: FuzzKeel,
  world: World,
  operations: Operation[],
  options: FuzzOptions,
): Promise<FuzzReport> {
  const stallMs = options.stallMs ?? 100;
  const server = await keel.listen();
  const probe = new HealthProbe(server.url);
  const plan = operations.flatMap((op) => {
    const base: ApiRequest = { ...validRequest(op, world), key: TEST_ADMIN_KEY };
    return fuzzCases(op, base, { seed: options.seed, runs: options.runs }).map((c) => ({ op, ...c }));
  });
  const perOperation = new Map(operations.map((op) => [op.key, { tried: 0, failures: 0 }]));
  const failures: FuzzFailure[] = [];
  const windows: { index: number; from: number; to: number }[] = [];
  const fail = (
    op: Operation,
    c: (typeof plan)[number],
    status: number,
    failure: FailureClass,
    detail: string,
  ) => {
    failures.push({
      failure,
      fuzzClass: c.fuzzClass,
      operation: op.key,
      status,
      request: describeRequest(c.request),
      detail,
    });
    perOperation.get(op.key)!.failures++;
  };

  probe.start();
  for (const [index, c] of plan.entries()) {
    const from = performance.now();
    try {
      const answer = await send(keel.app, c.request);
      const verdict = judge(c.request, answer.status, answer.contentType, answer.json, answer.text);
      if (verdict) fail(c.op, c, answer.status, verdict.failure, verdict.detail);
    } catch (error) {
      fail(c.op, c, 0, 'threw', String(error).slice(0, 200));
    }
    windows.push({ index, from, to: performance.now() });
    perOperation.get(c.op.key)!.tried++;
    options.onProgress?.(index + 1, plan.length);
  }
  await probe.stop();
  const healthMaxMs = Math.max(0, ...probe.samples.map((s) => s.ms));

  // A slow probe call is a suspect only; the request in flight is replayed alone to confirm it.
  const suspects = new Set<number>();
  for (const sample of probe.samples.filter((s) => s.ms > stallMs))
    for (const w of windows) if (w.to >= sample.start && w.from <= sample.end) suspects.add(w.index);
  for (const index of suspects) {
    const c = plan[index]!;
    // Confirmed only when it stalls the probe on two replays out of two (a busy machine's pauses
    // are not the request's fault).
    const replays: number[] = [];
    for (let attempt = 0; attempt < 2; attempt++) {
      const replayProbe = new HealthProbe(server.url, 1);
      replayProbe.start();
      await new Promise((resolve) => setTimeout(resolve, 20));
      const from = performance.now();
      await send(keel.app, c.request).catch(() => undefined);
      const to = performance.now();
      await replayProbe.stop();
      replays.push(replayProbe.slowestDuring(from, to)?.ms ?? 0);
    }
    if (replays.every((ms) => ms > stallMs))
      fail(
        c.op,
        c,
        0,
        'stall',
        `/health took ${replays.map(Math.round).join(' and ')} ms on two replays of this request`,
      );
  }

  const secrets = [
    ...seedValues,
    TEST_ADMIN_KEY,
    ...Object.values(world.keysA),
    ...Object.values(world.keysB),
  ];
  for (const line of keel.logText().split('\n')) {
    const found = secrets.find((secret) => line.includes(secret));
    if (found)
      failures.push({
        failure: 'secret-in-log',
        fuzzClass: 'log',
        operation: '(log)',
        status: 0,
        request: '',
        detail: `${found.slice(0, 12)}… in: ${line.slice(0, 200)}`,
      });
  }
  return { requests: plan.length, perOperation, failures, healthMaxMs, healthSamples: probe.samples.length };
}

/** Failures counted by class, and by operation within the class: the table a report prints. */
export function summarise(failures: FuzzFailure[]): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (const f of failures) {
    const name = `${f.failure}/${f.fuzzClass}`;
    const byClass = out[name] ?? {};
    byClass[f.operation] = (byClass[f.operation] ?? 0) + 1;
    out[name] = byClass;
  }
  return out;
}
