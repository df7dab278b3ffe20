/**
 * @module guardrails/guardrail-service
 * Guardrails as a service of the server: policies stored per project (CRUD), the policy that
 * applies to a call (request `moderations` > named policy > template policy > the project's
 * `default`), decisions recorded in batches and counted in metrics, and pseudonym mappings
 * sealed with the server key.
 */

import { Counter } from 'prom-client';
import type { AuditRecorder } from '../audit/index.js';
import { issuesFromZod, KeelError } from '../core/errors.js';
import { newId } from '../core/ids.js';
import type { Logger } from '../core/logger.js';
import type { KeelMetrics } from '../core/metrics.js';
import type { Role } from '../platform/index.js';
import { BatchWriter, storableFields } from '../platform/index.js';
import type { DatabaseV1 } from '../spec/database.js';
import type { DetectMode, DetectorV1, Span } from '../spec/detector.js';
import { changeFeed, InvalidatingCache } from '../storage/core/cache-invalidation.js';
import { isUniqueViolation } from '../storage/core/database-error.js';
import { wellFormed } from './detectors.js';
import type { Decision } from './evaluate.js';
import {
  type DirectionPolicy,
  type HeadDetectorPolicy,
  mergeRequestPolicy,
  type PolicyBody,
  type PolicyOverride,
  policyBodySchema,
  type RequestedPolicy,
  requestedFromBody,
} from './policy.js';
import { openMapping, type Pseudonymizer, sealMapping } from './pseudonymizer.js';

export interface StoredPolicy {
  id: string;
  name: string;
  version: number;
  body: PolicyBody;
  createdAt: Date;
  updatedAt: Date;
}

interface PolicyRow {
  id: string;
  name: string;
  version: number;
  body: unknown;
  created_at: Date;
  updated_at: Date;
}

export interface DecisionContext {
  projectId: string;
  keyId: string | null;
  requestId?: string | null;
  source: string;
  policy?: string | null;
  /**
   * Retrieved content the decisions read before it entered a prompt (a RAG passage's chunk id):
   * stored with direction `context`, the spans being offsets into that content.
   */
  subject?: string | null;
}

const MAPPING_TTL_HOURS = 24;

export function parsePolicyBody(input: unknown): PolicyBody {
  const parsed = policyBodySchema.safeParse(input);
  if (!parsed.success) {
    const issues = issuesFromZod(parsed.error.issues).map((issue) => ({
      ...issue,
      code:
        issue.code === 'invalid_value' || issue.code === 'unrecognized_keys'
          ? 'unknown_setting'
          : issue.code === 'too_big' || issue.code === 'too_small'
            ? 'out_of_range'
            : issue.code,
    }));
    throw new KeelError(
      'invalid_request',
      `Invalid guardrail policy at ${issues[0]?.path.join('.') || '(root)'}: ${issues[0]?.message}`,
      { issues },
    );
  }
  return parsed.data;
}

/** Spans of the trained heads a policy names, over one text (provided by the tuning module). */
export type HeadSpans = (
  projectId: string,
  heads: readonly HeadDetectorPolicy[],
  text: string,
) => Promise<Span[]>;

export class GuardrailService {
  /** Decisions are written in batches that one unstorable record cannot sink (platform/batch-writer). */
  readonly #decisionWriter: BatchWriter<Decision & DecisionContext>;
  readonly #decisionCounter: Counter<'detector' | 'type' | 'action' | 'direction'>;
  /** Each project's policies by name, for the request path; followed across replicas. */
  readonly #policies = new InvalidatingCache<ReadonlyMap<string, PolicyBody>>({ ttlMs: 60_000 });

  constructor(
    private readonly db: DatabaseV1,
    readonly secretKey: Buffer,
    private readonly options: {
      metrics?: KeelMetrics;
      logger?: Logger;
      modelDetectors?: DetectorV1[];
      audit?: AuditRecorder;
    } = {},
  ) {
    this.#decisionCounter = new Counter({
      name: 'keel_guardrail_decisions_total',
      help: 'Guardrail decisions by detector, span type, action and direction.',
      labelNames: ['detector', 'type', 'action', 'direction'],
      registers: options.metrics ? [options.metrics.registry] : [],
    });
    this.#policies.follow(changeFeed(db), 'guardrail_policies');
    this.#decisionWriter = new BatchWriter({
      name: 'guardrail_decisions',
      write: (batch) => this.#write(batch),
      sanitize: storableFields,
      logger: options.logger,
      metrics: options.metrics,
    });
  }

  /** Model-backed detectors (the optional NER model and HAP classifier), run before the rules on inputs and checks. */
  get modelDetectors(): readonly DetectorV1[] {
    return this.options.modelDetectors ?? [];
  }

  #headSpans: HeadSpans | undefined;

  /** Wires the trained heads a policy may name as detectors (the tuning module calls this). */
  useHeadDetectors(headSpans: HeadSpans): void {
    this.#headSpans = headSpans;
  }

  /** Whether `modelSpans` has anything to run for this policy. */
  hasModelSpans(policy: DirectionPolicy): boolean {
    return this.modelDetectors.length > 0 || (policy.heads?.length ?? 0) > 0;
  }

  /**
   * Spans the model-backed detectors find in `text`, when the policy looks for PII at all, and
   * those of the trained heads the policy names (they need the project they belong to).
   */
  async modelSpans(
    text: string,
    policy: DirectionPolicy,
    mode: DetectMode = 'prompt',
    projectId?: string,
  ): Promise<Span[]> {
    if (!this.hasModelSpans(policy) || !text.trim()) return [];
    const spans: Span[] = [];
    // Heads belong to a project: a caller without one (stored-run privacy) looks for PII only.
    if (policy.heads?.length && projectId) {
      if (!this.#headSpans)
        throw new KeelError(
          'invalid_request',
          'This policy names trained heads, which are not available here.',
          {
            issues: [{ code: 'heads_unavailable', path: ['heads'], message: 'no tuning module' }],
          },
        );
      spans.push(...(await this.#headSpans(projectId, policy.heads, wellFormed(text))));
    }
    for (const detector of this.modelDetectors) {
      if (detector.kind === 'injection' || !policy[detector.kind].enabled) continue;
      spans.push(...(await detector.detect(wellFormed(text), { mode })));
    }
    return spans;
  }

  async listPolicies(projectId: string): Promise<StoredPolicy[]> {
    const { rows } = await this.db.query<PolicyRow>(
      'SELECT * FROM guardrail_policies WHERE project_id = $1 ORDER BY name',
      [projectId],
    );
    return rows.map(toPolicy);
  }

  async getPolicy(projectId: string, name: string): Promise<StoredPolicy> {
    const { rows } = await this.db.query<PolicyRow>(
      'SELECT * FROM guardrail_policies WHERE project_id = $1 AND name = $2',
      [projectId, name],
    );
    if (!rows[0])
      throw new KeelError('not_found', `Guardrail policy "${name}" not found.`, {
        data: { hint: 'List policies with GET /api/v1/guardrails/policies.' },
      });
    return toPolicy(rows[0]);
  }

  /** Creates or replaces a named policy; each save bumps its version. */
  async putPolicy(
    projectId: string,
    name: string,
    input: unknown,
    createdBy: string | null,
  ): Promise<StoredPolicy> {
    const body = parsePolicyBody(input);
    try {
      const { rows } = await this.db.query<PolicyRow>(
        `INSERT INTO guardrail_policies (id, project_id, name, body, created_by) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (project_id, name) DO UPDATE SET body = EXCLUDED.body, version = guardrail_policies.version + 1, updated_at = now()
         RETURNING *`,
        [newId('gpl'), projectId, name, JSON.stringify(body), createdBy],
      );
      this.#policies.invalidate(projectId);
      const policy = toPolicy(rows[0]!);
      this.options.audit?.record({
        action: policy.version === 1 ? 'policy.create' : 'policy.update',
        projectId,
        target: { type: 'policy', id: policy.id },
        after: body,
        detail: { name, version: policy.version },
      });
      return policy;
    } catch (error) {
      if (isUniqueViolation(error))
        throw new KeelError('conflict', `Policy "${name}" was changed concurrently; try again.`);
      throw error;
    }
  }

  async deletePolicy(projectId: string, name: string): Promise<void> {
    const result = await this.db.query<{ id: string; body: unknown }>(
      'DELETE FROM guardrail_policies WHERE project_id = $1 AND name = $2 RETURNING id, body',
      [projectId, name],
    );
    this.#policies.invalidate(projectId);
    const deleted = result.rows[0];
    if (!deleted) throw new KeelError('not_found', `Guardrail policy "${name}" not found.`);
    this.options.audit?.record({
      action: 'policy.delete',
      projectId,
      target: { type: 'policy', id: deleted.id },
      before: deleted.body,
      detail: { name },
    });
  }

  /**
   * The policy for a call, or undefined when none applies. A named policy that does not exist is
   * an error. Served from memory: a project's policies are loaded once (none is remembered too)
   * and dropped when any replica changes them. A request-level policy (`explicit`) is merged into
   * the project's: it may add and tighten checks; loosening one needs the caller's `role` in the
   * policy's `allowRequestOverrides`. Each loosening asked for is listed in `overrides`.
   */
  async resolve(
    projectId: string,
    options: {
      explicit?: PolicyBody | undefined;
      /** What the request-level policy names (by default, everything in `explicit`). */
      requested?: RequestedPolicy | undefined;
      name?: string | undefined;
      templatePolicy?: string | undefined;
      role?: Role | undefined;
    },
  ): Promise<{ name: string; body: PolicyBody; overrides?: PolicyOverride[] } | undefined> {
    const policies = await this.#policies.get(projectId, () => this.#loadPolicies(projectId));
    const named = options.name ?? options.templatePolicy;
    let base: { name: string; body: PolicyBody } | undefined;
    if (named) {
      const body = policies.get(named);
      if (!body)
        throw new KeelError('not_found', `Guardrail policy "${named}" not found.`, {
          data: { hint: 'List policies with GET /api/v1/guardrails/policies.' },
        });
      base = { name: named, body };
    } else {
      const body = policies.get('default');
      if (body) base = { name: 'default', body };
    }
    if (!options.explicit) return base;
    if (!base) return { name: 'request', body: options.explicit };
    const mayLoosen = options.role !== undefined && base.body.allowRequestOverrides.includes(options.role);
    const merged = mergeRequestPolicy(
      base.body,
      options.requested ?? requestedFromBody(options.explicit),
      mayLoosen,
    );
    return {
      name: `${base.name}+request`,
      body: merged.policy,
      ...(merged.overrides.length ? { overrides: merged.overrides } : {}),
    };
  }

  async #loadPolicies(projectId: string): Promise<ReadonlyMap<string, PolicyBody>> {
    const { rows } = await this.db.query<PolicyRow>(
      'SELECT * FROM guardrail_policies WHERE project_id = $1',
      [projectId],
    );
    return new Map(rows.map((row) => [row.name, toPolicy(row).body]));
  }

  /** Records decisions (batched) and counts them. */
  /**
   * Loosenings a request-level policy asked for: recorded beside the span decisions (detector
   * `request-override`, version `applied` or `refused`, type `<detector>[.<type>].<setting>`, no
   * span) and in the audit log (`policy.override` / `policy.override.refused`).
   */
  recordOverrides(overrides: readonly PolicyOverride[], context: DecisionContext): void {
    if (!overrides.length) return;
    this.record(
      overrides.map((override) => ({
        detector: 'request-override',
        version: override.applied ? 'applied' : 'refused',
        type: `${override.detector}${override.type ? `.${override.type}` : ''}.${override.setting}`,
        score: 0,
        action: 'flag' as const,
        start: 0,
        end: 0,
        spanHash: '',
        direction: override.direction,
      })),
      context,
    );
    for (const override of overrides)
      this.options.audit?.record({
        action: override.applied ? 'policy.override' : 'policy.override.refused',
        projectId: context.projectId,
        target: { type: 'policy', id: context.policy ?? null },
        detail: {
          direction: override.direction,
          detector: override.detector,
          type: override.type ?? null,
          setting: override.setting,
          project: override.project,
          requested: override.requested,
          endpoint: context.source,
        },
      });
  }

  record(decisions: readonly Decision[], context: DecisionContext): void {
    if (!decisions.length) return;
    for (const decision of decisions) {
      this.#decisionCounter.inc({
        detector: decision.detector,
        type: decision.type,
        action: decision.action,
        direction: context.subject ? 'context' : decision.direction,
      });
      this.#decisionWriter.push({ ...decision, ...context });
    }
  }

  flush(): Promise<void> {
    return this.#decisionWriter.flush();
  }

  async #write(batch: (Decision & DecisionContext)[]): Promise<void> {
    const columns: unknown[][] = Array.from({ length: 15 }, () => []);
    for (const row of batch) {
      [
        row.projectId,
        row.keyId,
        row.requestId ?? null,
        row.source,
        row.policy ?? null,
        row.subject ? 'context' : row.direction,
        row.detector,
        row.version,
        row.type,
        row.score,
        row.action,
        row.start,
        row.end,
        row.spanHash,
        row.subject ?? null,
      ].forEach((value, index) => columns[index]!.push(value));
    }
    await this.db.query(
      `INSERT INTO guardrail_decisions (project_id, key_id, request_id, source, policy, direction, detector, detector_version, entity_type, score, action, span_start, span_end, span_hash, subject)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::real[], $11::text[], $12::int[], $13::int[], $14::text[], $15::text[])`,
      columns,
    );
  }

  /** The newest decisions first; `requestId` keeps one request's (pass `since` too: the index is by time). */
  async decisions(projectId: string, options: { limit?: number; since?: Date; requestId?: string } = {}) {
    await this.flush();
    const { rows } = await this.db.query<Record<string, unknown>>(
      `SELECT id, key_id, request_id, source, policy, direction, detector, detector_version, entity_type, score, action, span_start, span_end, span_hash, subject, created_at
         FROM guardrail_decisions WHERE project_id = $1 AND ($2::timestamptz IS NULL OR created_at >= $2)
          AND ($4::text IS NULL OR request_id = $4) ORDER BY id DESC LIMIT $3`,
      [projectId, options.since ?? null, Math.min(options.limit ?? 100, 1000), options.requestId ?? null],
    );
    return rows;
  }

  /** Seals a request's pseudonym mapping; returns its id. */
  async saveMapping(projectId: string, keyId: string | null, pseudonymizer: Pseudonymizer): Promise<string> {
    const sealed = sealMapping(pseudonymizer.entries(), this.secretKey);
    const id = newId('psm');
    await this.db.query(
      `INSERT INTO guardrail_pseudonym_maps (id, project_id, key_id, iv, tag, ciphertext, expires_at) VALUES ($1, $2, $3, $4, $5, $6, now() + make_interval(hours => $7))`,
      [id, projectId, keyId, sealed.iv, sealed.tag, sealed.ciphertext, MAPPING_TTL_HOURS],
    );
    return id;
  }

  async openMapping(projectId: string, id: string): Promise<Record<string, string>> {
    const { rows } = await this.db.query<{ iv: string; tag: string; ciphertext: string }>(
      'SELECT iv, tag, ciphertext FROM guardrail_pseudonym_maps WHERE id = $1 AND project_id = $2 AND expires_at > now()',
      [id, projectId],
    );
    if (!rows[0]) throw new KeelError('not_found', `Pseudonym mapping ${id} not found or expired.`);
    return openMapping(rows[0], this.secretKey);
  }

  async close(): Promise<void> {
    await this.#decisionWriter.close();
    await this.db.query('DELETE FROM guardrail_pseudonym_maps WHERE expires_at <= now()').catch(() => {});
  }
}

function toPolicy(row: PolicyRow): StoredPolicy {
  return {
    id: row.id,
    name: row.name,
    version: row.version,
    body: policyBodySchema.parse(row.body),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
