/**
 * @module platform/users
 * User accounts (e-mail and password, scrypt-hashed), project memberships and sign-in.
 * Signing in issues a session: an expiring key of kind `session` carrying the user's memberships.
 * Failed sign-ins are counted and, past a limit, locked out for a while (platform/sign-in-throttle).
 */
import { type AuditRecorder, noAudit } from '../audit/index.js';
import { KeelError } from '../core/errors.js';
import { newId } from '../core/ids.js';
import { currentRequestScope } from '../core/request-scope.js';
import type { DatabaseV1 } from '../spec/database.js';
import { isUniqueViolation } from '../storage/core/database-error.js';
import type { ApiKeyService } from './api-keys.js';
import { hashPassword, verifyPassword } from './passwords.js';
import type { Role } from './roles.js';
import { type SignInFailureReason, SignInThrottle } from './sign-in-throttle.js';

export interface User {
  id: string;
  organizationId: string;
  email: string;
  displayName: string;
  orgAdmin: boolean;
  createdAt: Date;
}

interface UserRow {
  id: string;
  organization_id: string;
  email: string;
  display_name: string;
  password_hash: string | null;
  org_admin: boolean;
  created_at: Date;
  disabled_at: Date | null;
}

const toUser = (row: UserRow): User => ({
  id: row.id,
  organizationId: row.organization_id,
  email: row.email,
  displayName: row.display_name,
  orgAdmin: row.org_admin,
  createdAt: row.created_at,
});

export const SESSION_HOURS = 12;

export class UserService {
  readonly throttle: SignInThrottle;

  constructor(
    private readonly db: DatabaseV1,
    private readonly keys: ApiKeyService,
    private readonly audit: AuditRecorder = noAudit,
    throttle?: SignInThrottle,
  ) {
    this.throttle = throttle ?? new SignInThrottle(db, { audit });
  }

  async create(input: {
    organizationId: string;
    email: string;
    password: string;
    displayName?: string;
    orgAdmin?: boolean;
  }): Promise<User> {
    try {
      const result = await this.db.query<UserRow>(
        `INSERT INTO users (id, organization_id, email, display_name, password_hash, org_admin)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
        [
          newId('usr'),
          input.organizationId,
          input.email.trim().toLowerCase(),
          input.displayName ?? '',
          await hashPassword(input.password),
          input.orgAdmin ?? false,
        ],
      );
      const user = toUser(result.rows[0]!);
      this.audit.record({
        action: 'user.create',
        target: { type: 'user', id: user.id },
        after: user,
        detail: { orgAdmin: user.orgAdmin },
      });
      return user;
    } catch (error) {
      if (isUniqueViolation(error))
        throw new KeelError('conflict', `A user with e-mail ${input.email} already exists.`);
      throw error;
    }
  }

  async setMembership(userId: string, projectId: string, role: Role): Promise<void> {
    await this.db.query(
      `INSERT INTO memberships (user_id, project_id, role) VALUES ($1, $2, $3)
       ON CONFLICT (user_id, project_id) DO UPDATE SET role = EXCLUDED.role`,
      [userId, projectId, role],
    );
    this.keys.invalidate();
    this.audit.record({
      action: 'membership.set',
      projectId,
      target: { type: 'user', id: userId },
      after: { userId, projectId, role },
      detail: { role },
    });
  }

  async removeMembership(userId: string, projectId: string): Promise<void> {
    await this.db.query('DELETE FROM memberships WHERE user_id = $1 AND project_id = $2', [
      userId,
      projectId,
    ]);
    this.keys.invalidate();
    this.audit.record({ action: 'membership.remove', projectId, target: { type: 'user', id: userId } });
  }

  async listMembers(projectId: string): Promise<(User & { role: Role })[]> {
    const result = await this.db.query<UserRow & { role: Role }>(
      `SELECT u.*, m.role FROM memberships m JOIN users u ON u.id = m.user_id
        WHERE m.project_id = $1 AND u.disabled_at IS NULL ORDER BY u.email`,
      [projectId],
    );
    return result.rows.map((row) => ({ ...toUser(row), role: row.role }));
  }

  async get(userId: string): Promise<User> {
    const result = await this.db.query<UserRow>('SELECT * FROM users WHERE id = $1', [userId]);
    if (!result.rows[0]) throw new KeelError('not_found', `User ${userId} not found.`);
    return toUser(result.rows[0]);
  }

  /** Checks the password and opens a session. The same error for an unknown e-mail and a wrong password. */
  async signIn(
    email: string,
    password: string,
  ): Promise<{ user: User; secret: string; expiresAt: Date; projectId: string }> {
    const denied = new KeelError('unauthorized', 'E-mail or password is incorrect.');
    const address = currentRequestScope()?.address ?? null;
    // Locked out (too many failures for this account or from this address): 429 before any check.
    await this.throttle.check(email, address);
    // Every failure is counted and audited (the account only as a digest, with the address).
    const failed = (reason: SignInFailureReason) => this.throttle.recordSignInFailure(email, address, reason);
    const result = await this.db.query<UserRow>('SELECT * FROM users WHERE email = $1', [
      email.trim().toLowerCase(),
    ]);
    const row = result.rows[0];
    if (!row?.password_hash || row.disabled_at) {
      // Spend the same time as a real check so the answer does not reveal which e-mails exist.
      await verifyPassword(
        password,
        'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      );
      await failed(row ? 'disabled' : 'unknown');
      throw denied;
    }
    if (!(await verifyPassword(password, row.password_hash))) {
      await failed('password');
      throw denied;
    }
    await this.throttle.recordSuccess(email);
    const membership = await this.db.query<{ project_id: string; role: Role }>(
      `SELECT m.project_id, m.role FROM memberships m JOIN projects p ON p.id = m.project_id
        WHERE m.user_id = $1 AND p.deleted_at IS NULL ORDER BY m.created_at LIMIT 1`,
      [row.id],
    );
    let first = membership.rows[0];
    if (!first && row.org_admin) {
      const project = await this.db.query<{ id: string }>(
        'SELECT id FROM projects WHERE organization_id = $1 AND deleted_at IS NULL ORDER BY created_at LIMIT 1',
        [row.organization_id],
      );
      if (project.rows[0]) first = { project_id: project.rows[0].id, role: 'admin' };
    }
    if (!first)
      throw new KeelError(
        'forbidden',
        'This account is not a member of any project yet; ask an administrator to add it.',
      );
    const expiresAt = new Date(Date.now() + SESSION_HOURS * 3600_000);
    const { secret } = await this.keys.create({
      organizationId: row.organization_id,
      projectId: first.project_id,
      role: first.role,
      name: 'console session',
      kind: 'session',
      userId: row.id,
      expiresAt,
    });
    return { user: toUser(row), secret, expiresAt, projectId: first.project_id };
  }
}
