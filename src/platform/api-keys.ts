/**
 * @module platform/api-keys
 * API keys: random secrets shown once, stored as SHA-256, scoped to one project and one role,
 * revocable and optionally expiring. Sign-in sessions are keys of kind `session` tied to a user.
 * Authentication is on every request's path, so resolved principals (and unknown secrets) are
 * cached in memory and dropped on every replica when a key, user, membership or project changes
 * (storage/core/cache-invalidation); `last_used_at` is written at most once a minute per key.
 */
import { hash, timingSafeEqual } from 'node:crypto';
import { type AuditRecorder, noAudit } from '../audit/index.js';
import { KeelError } from '../core/errors.js';
import { newId, randomToken } from '../core/ids.js';
import type { DatabaseSession } from '../spec/database.js';
import { changeFeed } from '../storage/core/cache-invalidation.js';
import type { Principal } from './principal.js';
import type { Role } from './roles.js';

export const KEY_PREFIX = 'keel_';

export interface ApiKeyRecord {
  id: string;
  organizationId: string;
  projectId: string;
  userId: string | null;
  kind: 'api' | 'session';
  name: string;
  role: Role;
  /** The first characters of the secret, to recognise it in lists. */
  prefix: string;
  createdBy: string | null;
  createdAt: Date;
  expiresAt: Date | null;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
  /** Organisation administration: only organisation admins may see or manage such a key. */
  orgAdmin: boolean;
}

interface ApiKeyRow {
  id: string;
  organization_id: string;
  project_id: string;
  user_id: string | null;
  kind: 'api' | 'session';
  name: string;
  role: Role;
  prefix: string;
  secret_hash: string;
  created_by: string | null;
  created_at: Date;
  expires_at: Date | null;
  revoked_at: Date | null;
  last_used_at: Date | null;
  org_admin: boolean;
}

export interface CreateKeyInput {
  organizationId: string;
  projectId: string;
  name: string;
  role: Role;
  expiresAt?: Date | null;
  userId?: string | null;
  kind?: 'api' | 'session';
  createdBy?: string | null;
  /** Use this secret instead of generating one (bootstrap keys). */
  secret?: string;
  /** Organisation-wide administration: only bootstrap keys get it. */
  orgAdmin?: boolean;
}

export function hashSecret(secret: string): string {
  return hash('sha256', secret, 'hex');
}

export function generateSecret(): string {
  return KEY_PREFIX + randomToken(40);
}

function toRecord(row: ApiKeyRow): ApiKeyRecord {
  return {
    id: row.id,
    organizationId: row.organization_id,
    projectId: row.project_id,
    userId: row.user_id,
    kind: row.kind,
    name: row.name,
    role: row.role,
    prefix: row.prefix,
    createdBy: row.created_by,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
    lastUsedAt: row.last_used_at,
    orgAdmin: row.org_admin === true,
  };
}

interface CacheEntry {
  principal: Principal | null;
  expiresAt: Date | null;
  cachedAt: number;
}

export interface ApiKeyServiceOptions {
  /** How long a resolved key is trusted without asking the database again. */
  cacheTtlMs?: number;
  now?: () => number;
  audit?: AuditRecorder;
}

export class ApiKeyService {
  readonly #db: DatabaseSession;
  readonly #cache = new Map<string, CacheEntry>();
  readonly #lastTouched = new Map<string, number>();
  readonly #ttl: number;
  readonly #now: () => number;
  readonly #audit: AuditRecorder;

  constructor(db: DatabaseSession, options: ApiKeyServiceOptions = {}) {
    this.#db = db;
    this.#audit = options.audit ?? noAudit;
    // Changes arrive as notifications; the TTL only bounds staleness should one be lost.
    this.#ttl = options.cacheTtlMs ?? 60_000;
    this.#now = options.now ?? Date.now;
    const feed = changeFeed(db);
    for (const table of ['api_keys', 'users', 'memberships', 'projects'])
      feed.subscribe(table, () => this.#cache.clear());
  }

  async create(input: CreateKeyInput): Promise<{ key: ApiKeyRecord; secret: string }> {
    const secret = input.secret ?? generateSecret();
    const id = newId('key');
    const prefix = secret.slice(0, KEY_PREFIX.length + 6);
    const result = await this.#db.query<ApiKeyRow>(
      `INSERT INTO api_keys (id, organization_id, project_id, user_id, kind, name, role, prefix, secret_hash, created_by, expires_at, org_admin)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING *`,
      [
        id,
        input.organizationId,
        input.projectId,
        input.userId ?? null,
        input.kind ?? 'api',
        input.name,
        input.role,
        prefix,
        hashSecret(secret),
        input.createdBy ?? null,
        input.expiresAt ?? null,
        input.orgAdmin ?? false,
      ],
    );
    const key = toRecord(result.rows[0]!);
    this.#audit.record({
      action: `${key.kind === 'session' ? 'session' : 'key'}.create`,
      projectId: key.projectId,
      target: { type: key.kind === 'session' ? 'session' : 'key', id: key.id },
      after: key,
      detail: { role: key.role },
    });
    return { key, secret };
  }

  /** Keys of a project; organisation-admin keys only when `byOrgAdmin` (an organisation admin asks). */
  async list(
    projectId: string,
    options: { includeRevoked?: boolean; kind?: 'api' | 'session'; byOrgAdmin?: boolean } = {},
  ): Promise<ApiKeyRecord[]> {
    const result = await this.#db.query<ApiKeyRow>(
      `SELECT * FROM api_keys WHERE project_id = $1 AND kind = $2 ${options.includeRevoked ? '' : 'AND revoked_at IS NULL'}
       ${options.byOrgAdmin ? '' : 'AND NOT org_admin'}
       ORDER BY created_at, id`,
      [projectId, options.kind ?? 'api'],
    );
    return result.rows.map(toRecord);
  }

  async get(projectId: string, keyId: string): Promise<ApiKeyRecord> {
    const result = await this.#db.query<ApiKeyRow>(
      'SELECT * FROM api_keys WHERE id = $1 AND project_id = $2',
      [keyId, projectId],
    );
    const row = result.rows[0];
    if (!row) throw new KeelError('not_found', `API key ${keyId} not found.`);
    return toRecord(row);
  }

  /**
   * Revokes a key of the project. A key that administers the organisation (an org-admin key, or a
   * session of an org-admin user) is revoked only when `byOrgAdmin`: a project admin gets 403.
   */
  async revoke(
    projectId: string,
    keyId: string,
    options: { byOrgAdmin?: boolean } = {},
  ): Promise<ApiKeyRecord> {
    const result = await this.#db.query<ApiKeyRow>(
      `UPDATE api_keys k SET revoked_at = COALESCE(k.revoked_at, now())
        WHERE k.id = $1 AND k.project_id = $2
          AND ($3 OR NOT (k.org_admin OR EXISTS (SELECT 1 FROM users u WHERE u.id = k.user_id AND u.org_admin)))
        RETURNING k.*`,
      [keyId, projectId, options.byOrgAdmin === true],
    );
    const row = result.rows[0];
    if (!row) {
      await this.get(projectId, keyId); // not_found when it is not there at all
      throw new KeelError('forbidden', 'Only an organisation administrator can revoke this key.', {
        data: { keyId },
      });
    }
    this.#cache.delete(row.secret_hash);
    const key = toRecord(row);
    this.#audit.record({
      action: 'key.revoke',
      projectId,
      target: { type: 'key', id: keyId },
      after: key,
    });
    return key;
  }

  /** Revokes a session by its secret (sign-out). */
  async revokeSecret(secret: string): Promise<void> {
    const hash = hashSecret(secret);
    const revoked = await this.#db.query<{ id: string; project_id: string }>(
      'UPDATE api_keys SET revoked_at = COALESCE(revoked_at, now()) WHERE secret_hash = $1 RETURNING id, project_id',
      [hash],
    );
    this.#cache.delete(hash);
    const row = revoked.rows[0];
    if (row)
      this.#audit.record({
        action: 'session.revoke',
        projectId: row.project_id,
        target: { type: 'session', id: row.id },
      });
  }

  async count(): Promise<number> {
    const result = await this.#db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM api_keys WHERE kind = 'api'",
    );
    return result.rows[0]?.n ?? 0;
  }

  /** Resolves a bearer secret to a principal, or null when it is unknown, revoked or expired. */
  async authenticate(secret: string): Promise<Principal | null> {
    if (secret.length < 16 || secret.length > 512) return null;
    const hash = hashSecret(secret);
    const now = this.#now();
    const cached = this.#cache.get(hash);
    if (cached && now - cached.cachedAt < this.#ttl) {
      if (cached.expiresAt && cached.expiresAt.getTime() <= now) return null;
      return cached.principal;
    }
    const principal = await this.#resolve(hash, now);
    if (this.#cache.size > 10_000) this.#cache.clear();
    this.#cache.set(hash, {
      principal: principal?.principal ?? null,
      expiresAt: principal?.expiresAt ?? null,
      cachedAt: now,
    });
    return principal?.principal ?? null;
  }

  async #resolve(
    hash: string,
    now: number,
  ): Promise<{ principal: Principal; expiresAt: Date | null } | null> {
    const result = await this.#db.query<
      ApiKeyRow & { key_org_admin: boolean; user_org_admin: boolean | null; user_disabled: Date | null }
    >(
      `SELECT k.*, k.org_admin AS key_org_admin, u.org_admin AS user_org_admin, u.disabled_at AS user_disabled
         FROM api_keys k LEFT JOIN users u ON u.id = k.user_id
        WHERE k.secret_hash = $1`,
      [hash],
    );
    const row = result.rows[0];
    if (!row || !timingSafeEqual(Buffer.from(row.secret_hash), Buffer.from(hash))) return null;
    if (row.revoked_at || row.user_disabled) return null;
    if (row.expires_at && row.expires_at.getTime() <= now) return null;
    const projectRoles = new Map<string, Role>();
    if (row.kind === 'session' && row.user_id) {
      const memberships = await this.#db.query<{ project_id: string; role: Role }>(
        `SELECT m.project_id, m.role FROM memberships m JOIN projects p ON p.id = m.project_id
          WHERE m.user_id = $1 AND p.deleted_at IS NULL`,
        [row.user_id],
      );
      for (const membership of memberships.rows) projectRoles.set(membership.project_id, membership.role);
    } else {
      projectRoles.set(row.project_id, row.role);
    }
    this.#touch(row.id, now);
    return {
      principal: {
        keyId: row.id,
        kind: row.kind,
        organizationId: row.organization_id,
        defaultProjectId: row.project_id,
        projectRoles,
        userId: row.user_id,
        orgAdmin: row.kind === 'session' ? row.user_org_admin === true : row.key_org_admin,
      },
      expiresAt: row.expires_at,
    };
  }

  /** Forget cached principals (after membership or project changes). */
  invalidate(): void {
    this.#cache.clear();
  }

  #touch(keyId: string, now: number): void {
    const last = this.#lastTouched.get(keyId) ?? 0;
    if (now - last < 60_000) return;
    this.#lastTouched.set(keyId, now);
    this.#db.query('UPDATE api_keys SET last_used_at = now() WHERE id = $1', [keyId]).catch(() => {
      // Best effort: a failed timestamp update must not fail the request.
    });
  }
}
