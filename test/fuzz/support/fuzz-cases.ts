/**
 * @module test/fuzz/support/fuzz-cases
 * Malformed requests for one operation, generated with fast-check from the operation's valid
 * request: a field of the wrong type, missing or unknown; huge and deeply nested bodies; NUL bytes
 * and invalid UTF-8; extreme numbers and dates; wrong content types; hostile path segments and
 * query values; arbitrary JSON. Seeded, so a run is reproducible from (seed, operation, class).
 */
import fc from 'fast-check';
import { FUZZ_BODY_LIMIT } from './fuzz-keel.js';
import {
  extremeDates,
  extremeNumberLiterals,
  hostileSegments,
  hostileStrings,
  invalidUtf8,
  wrongContentTypes,
  wrongTypeValues,
} from './hostile-values.js';
import type { Operation } from './openapi-operations.js';
import { fillPath } from './openapi-operations.js';
import type { ApiRequest } from './send.js';

export const fuzzClasses = [
  'wrong-type',
  'missing-field',
  'unknown-field',
  'hostile-string',
  'huge-body',
  'deep-nesting',
  'nul-bytes',
  'invalid-utf8',
  'extreme-number',
  'extreme-date',
  'wrong-content-type',
  'random-json',
  'hostile-path',
  'hostile-query',
] as const;
export type FuzzClass = (typeof fuzzClasses)[number];

export interface FuzzCase {
  fuzzClass: FuzzClass;
  request: ApiRequest;
}

type Json = unknown;
type Path = (string | number)[];

/** Every position in a JSON value (objects' keys, arrays' indexes), leaves and inner nodes. */
function positions(value: Json, prefix: Path = [], out: Path[] = []): Path[] {
  if (value && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      const at = [...prefix, Array.isArray(value) ? Number(key) : key];
      out.push(at);
      positions(child, at, out);
    }
  }
  return out;
}

function clone<T>(value: T): T {
  return structuredClone(value);
}

function setAt(root: Json, path: Path, value: Json): Json {
  if (!path.length) return value;
  const copy = clone(root) as Record<string | number, Json>;
  let node = copy;
  for (const step of path.slice(0, -1)) node = node[step] as Record<string | number, Json>;
  node[path.at(-1)!] = value;
  return copy;
}

function deleteAt(root: Json, path: Path): Json {
  const copy = clone(root) as Record<string | number, Json>;
  let node = copy;
  for (const step of path.slice(0, -1)) node = node[step] as Record<string | number, Json>;
  const last = path.at(-1)!;
  if (Array.isArray(node)) node.splice(Number(last), 1);
  else delete node[last];
  return copy;
}

/** Objects in the body (the root included) where an extra key can go. */
function objectPaths(body: Json): Path[] {
  const out: Path[] = [];
  const visit = (value: Json, at: Path) => {
    if (value && typeof value === 'object') {
      if (!Array.isArray(value)) out.push(at);
      for (const [key, child] of Object.entries(value))
        visit(child, [...at, Array.isArray(value) ? Number(key) : key]);
    }
  };
  visit(body, []);
  return out;
}

function getAt(root: Json, path: Path): Json {
  let node = root as Record<string | number, Json>;
  for (const step of path) node = node[step] as Record<string | number, Json>;
  return node;
}

const PLACEHOLDER = '__FUZZ_RAW__';

/** The JSON text of `body` with the placeholder string replaced by raw text. */
function rawJson(body: Json, raw: string): string {
  return JSON.stringify(body).replace(`"${PLACEHOLDER}"`, raw);
}

function rawBytes(body: Json, bytes: number[]): Uint8Array {
  const [before, after] = JSON.stringify(body).split(PLACEHOLDER) as [string, string];
  const encoder = new TextEncoder();
  return new Uint8Array([...encoder.encode(`${before}x`), ...bytes, ...encoder.encode(`y${after ?? ''}`)]);
}

/** Deeply nested JSON text: arrays or objects, `depth` levels. */
function nested(depth: number, kind: 'array' | 'object'): string {
  return kind === 'array'
    ? `${'['.repeat(depth)}${']'.repeat(depth)}`
    : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

const dateKeys = /(date|time|_at$|^at$|since|before|from|^to$|until|expires)/i;

function caseArbitrary(
  op: Operation,
  base: ApiRequest,
  fuzzClass: FuzzClass,
): fc.Arbitrary<ApiRequest> | undefined {
  const body = base.body;
  const hasBody = body !== undefined;
  const where = hasBody ? positions(body) : [];
  const pick = <T>(items: readonly T[]) => fc.constantFrom(...items);
  const atPosition = where.length ? fc.nat({ max: where.length - 1 }).map((i) => where[i]!) : undefined;
  const objects = hasBody ? objectPaths(body) : [];
  const withBody = (next: Partial<ApiRequest>): ApiRequest => {
    const { body: _body, rawBody: _raw, contentType: _type, ...rest } = base;
    return { ...rest, ...next };
  };

  switch (fuzzClass) {
    case 'wrong-type':
      if (!atPosition) return hasBody ? pick(wrongTypeValues).map((v) => withBody({ body: v })) : undefined;
      return fc
        .tuple(atPosition, pick(wrongTypeValues))
        .map(([at, v]) => withBody({ body: setAt(body, at, v) }));
    case 'missing-field':
      if (!atPosition) return undefined;
      return atPosition.map((at) => withBody({ body: deleteAt(body, at) }));
    case 'unknown-field': {
      if (!objects.length) return undefined;
      const keys = pick([
        '__proto__',
        'constructor',
        'prototype',
        'x'.repeat(300),
        '',
        '\u0000',
        '$where',
        'id',
      ]);
      return fc.tuple(pick(objects), keys, fc.jsonValue({ maxDepth: 2 })).map(([at, key, value]) => {
        const target = getAt(body, at) as Record<string, Json>;
        // JSON.parse makes "__proto__" an own key, as a wire body would.
        const extra = JSON.parse(`{${JSON.stringify(key)}:${JSON.stringify(value ?? null)}}`) as Record<
          string,
          Json
        >;
        return withBody({ body: setAt(body, at, { ...target, ...extra }) });
      });
    }
    case 'hostile-string':
      if (!atPosition) return undefined;
      return fc
        .tuple(atPosition, pick(hostileStrings))
        .map(([at, v]) => withBody({ body: setAt(body, at, v) }));
    case 'huge-body':
      if (!hasBody) return undefined;
      return fc.oneof(
        // Just over the limit, as a string in a field.
        atPosition
          ? atPosition.map((at) => withBody({ body: setAt(body, at, 'x'.repeat(FUZZ_BODY_LIMIT + 10)) }))
          : fc.constant(withBody({ body: 'x'.repeat(FUZZ_BODY_LIMIT + 10) })),
        // Just under it: many small items.
        fc.integer({ min: 1_000, max: 40_000 }).map((n) =>
          withBody({
            body: atPosition
              ? setAt(
                  body,
                  where[0]!,
                  Array.from({ length: n }, () => 'ab'),
                )
              : Array(n).fill(1),
          }),
        ),
        fc.constant(withBody({ rawBody: `[${'1,'.repeat(FUZZ_BODY_LIMIT / 2 - 10)}1]` })),
      );
    case 'deep-nesting':
      if (!hasBody) return undefined;
      return fc
        .tuple(fc.integer({ min: 1_000, max: 60_000 }), pick(['array', 'object'] as const), fc.boolean())
        .map(([depth, kind, inField]) =>
          inField && atPosition
            ? withBody({
                rawBody: rawJson(setAt(body, where[depth % where.length]!, PLACEHOLDER), nested(depth, kind)),
              })
            : withBody({ rawBody: nested(depth, kind) }),
        );
    case 'nul-bytes':
      if (!atPosition) return undefined;
      return fc
        .tuple(atPosition, fc.string({ maxLength: 20 }))
        .map(([at, s]) => withBody({ body: setAt(body, at, `${s}\u0000${s}\u0000`) }));
    case 'invalid-utf8':
      if (!hasBody) return undefined;
      return fc.tuple(fc.nat(), pick(invalidUtf8)).map(([i, bytes]) =>
        withBody({
          rawBody: where.length
            ? rawBytes(setAt(body, where[i % where.length]!, PLACEHOLDER), bytes)
            : new Uint8Array(bytes),
        }),
      );
    case 'extreme-number':
      if (!hasBody) return undefined;
      return fc.tuple(fc.nat(), pick(extremeNumberLiterals)).map(([i, literal]) =>
        withBody({
          rawBody: where.length
            ? rawJson(setAt(body, where[i % where.length]!, PLACEHOLDER), literal)
            : literal,
        }),
      );
    case 'extreme-date': {
      const dated = where.filter((at) => dateKeys.test(String(at.at(-1))));
      const dateQueries = op.queryParams.filter((p) => dateKeys.test(p.name));
      if (!dated.length && !dateQueries.length) return undefined;
      return fc.tuple(fc.nat(), pick(extremeDates)).map(([i, date]) => {
        if (dated.length && (i % 2 === 0 || !dateQueries.length))
          return withBody({ body: setAt(body, dated[i % dated.length]!, date) });
        return { ...base, query: { ...base.query, [dateQueries[i % dateQueries.length]!.name]: date } };
      });
    }
    case 'wrong-content-type':
      if (!hasBody) return undefined;
      return pick(wrongContentTypes).map((type) => ({ ...base, contentType: type }));
    case 'random-json':
      if (!hasBody) return undefined;
      return fc.jsonValue({ maxDepth: 4 }).map((v) => withBody({ body: v }));
    case 'hostile-path': {
      const segment = pick(hostileSegments);
      if (!op.pathParams.length)
        return fc
          .tuple(segment, pick(['/', '/v2/', '/../']))
          .map(([s, join]) => ({ ...base, path: `${base.path.replace(/\/$/, '')}${join}${s}` }));
      return fc.tuple(fc.nat({ max: op.pathParams.length - 1 }), segment).map(([i, s]) => {
        const values = Object.fromEntries(op.pathParams.map((name) => [name, 'placeholder']));
        // Keep the valid values for the other parameters, so the hostile one is what is tested.
        const concrete = base.path.split('/');
        const template = op.path.split('/');
        template.forEach((part, index) => {
          const name = /^\{(.+)\}$/.exec(part)?.[1];
          if (name) values[name] = concrete[index]!;
        });
        values[op.pathParams[i]!] = s;
        return { ...base, path: fillPath(op.path, values) };
      });
    }
    case 'hostile-query': {
      const names = op.queryParams.map((p) => p.name);
      const values = [
        ...hostileStrings.filter((s) => s.length < 1000),
        ...extremeDates,
        '1e308',
        '-0',
        'NaN',
        '9223372036854775808',
      ];
      if (!names.length)
        return pick(values).map((v) => ({ ...base, query: { ...base.query, [v.slice(0, 50) || 'q']: v } }));
      return fc
        .tuple(pick(names), pick(values))
        .map(([name, v]) => ({ ...base, query: { ...base.query, [name]: v } }));
    }
  }
}

/** `runs` cases of each class that applies to `op`, derived from its valid request `base`. */
export function fuzzCases(
  op: Operation,
  base: ApiRequest,
  options: { seed: number; runs: number },
): FuzzCase[] {
  const cases: FuzzCase[] = [];
  fuzzClasses.forEach((fuzzClass, index) => {
    const arbitrary = caseArbitrary(op, base, fuzzClass);
    if (!arbitrary) return;
    const seed = hash(`${options.seed}:${op.key}:${index}`);
    for (const request of fc.sample(arbitrary, { seed, numRuns: options.runs }))
      cases.push({ fuzzClass, request });
  });
  return cases;
}

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h | 0;
}
