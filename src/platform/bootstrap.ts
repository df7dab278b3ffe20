/**
 * @module platform/bootstrap
 * First start: create the default organisation and project, and the first admin key —
 * `KEEL_BOOTSTRAP_KEY` when set (automation), otherwise a generated one returned to be printed once.
 * Every start with `KEEL_BOOTSTRAP_KEY` makes sure that key works as organisation admin: revoked,
 * expired or re-roled, it is restored — the way back in after the key was lost to a mistake.
 * Without the variable, `keel keys recover` (`recoverAdminKey`) issues a fresh one on the machine.
 */
import { type AuditRecorder, noAudit, SYSTEM_ACTOR } from '../audit/index.js';
import type { DatabaseV1 } from '../spec/database.js';
import { ApiKeyService, generateSecret, hashSecret } from './api-keys.js';
import { ProjectService } from './projects.js';

export interface Installation {
  organizationId: string;
  defaultProjectId: string;
  /** A newly generated admin key: print it once, it cannot be shown again. */
  generatedAdminKey?: string;
}

const BOOTSTRAP_LOCK = 0x6b65656d;

export async function ensureInstallation(
  db: DatabaseV1,
  options: { bootstrapKey?: string | undefined; audit?: AuditRecorder } = {},
): Promise<Installation> {
  const audit = options.audit ?? noAudit;
  return db.transaction(async (tx) => {
    if (db.provider === 'postgres') await tx.query('SELECT pg_advisory_xact_lock($1)', [BOOTSTRAP_LOCK]);
    const projects = new ProjectService(tx);
    const org = await tx.query<{ id: string }>(
      'SELECT id FROM organizations ORDER BY created_at, id LIMIT 1',
    );
    let organizationId = org.rows[0]?.id;
    if (!organizationId) organizationId = (await projects.createOrganization('default')).id;
    let project = await projects.findByName(organizationId, 'default');
    if (!project) {
      const any = await tx.query<{ id: string }>(
        'SELECT id FROM projects WHERE organization_id = $1 AND deleted_at IS NULL ORDER BY created_at, id LIMIT 1',
        [organizationId],
      );
      project = any.rows[0]
        ? await projects.get(any.rows[0].id)
        : await projects.create({ organizationId, name: 'default', description: 'Created on first start.' });
    }
    const installation: Installation = { organizationId, defaultProjectId: project.id };
    // Bound to this transaction so that all of bootstrap commits together.
    const keys = new ApiKeyService(tx);
    if (options.bootstrapKey) {
      // Restored whatever happened to it; the project too, should it have been deleted.
      const restored = await tx.query<{ id: string }>(
        `UPDATE api_keys
            SET revoked_at = NULL, expires_at = NULL, org_admin = true, role = 'admin', kind = 'api',
                user_id = NULL, organization_id = $2, project_id = $3
          WHERE secret_hash = $1
            AND (revoked_at IS NOT NULL OR expires_at IS NOT NULL OR NOT org_admin OR role <> 'admin'
                 OR kind <> 'api' OR user_id IS NOT NULL OR organization_id <> $2
                 OR project_id IN (SELECT id FROM projects WHERE deleted_at IS NOT NULL))
          RETURNING id`,
        [hashSecret(options.bootstrapKey), organizationId, project.id],
      );
      if (restored.rows[0]) {
        audit.record({
          action: 'key.restore',
          projectId: project.id,
          target: { type: 'key', id: restored.rows[0].id },
          detail: { reason: 'KEEL_BOOTSTRAP_KEY' },
          actor: SYSTEM_ACTOR,
        });
      }
      const existing = await tx.query('SELECT 1 FROM api_keys WHERE secret_hash = $1', [
        hashSecret(options.bootstrapKey),
      ]);
      if (existing.rows.length === 0) {
        await keys.create({
          organizationId,
          projectId: project.id,
          name: 'bootstrap',
          role: 'admin',
          secret: options.bootstrapKey,
          orgAdmin: true,
        });
      }
    } else {
      const issued = await tx.query("SELECT 1 FROM installation WHERE key = 'admin_key_issued'");
      if (issued.rows.length === 0) {
        const secret = generateSecret();
        await keys.create({
          organizationId,
          projectId: project.id,
          name: 'admin (first start)',
          role: 'admin',
          secret,
          orgAdmin: true,
        });
        installation.generatedAdminKey = secret;
      }
    }
    await tx.query(
      `INSERT INTO installation (key, value) VALUES ('admin_key_issued', 'true'::jsonb) ON CONFLICT (key) DO NOTHING`,
    );
    return installation;
  });
}

/** Who recovers a key: someone with the data directory in hand, on the machine itself. */
export const LOCAL_OPERATOR = { keyId: null, userId: null, role: 'local-operator' } as const;

/**
 * Issues a fresh organisation-admin key with direct access to the database (no server, no key):
 * the recovery path when every admin key is lost or revoked. Audited as `key.recover`.
 */
export async function recoverAdminKey(
  db: DatabaseV1,
  options: { audit?: AuditRecorder } = {},
): Promise<{ keyId: string; secret: string; projectId: string }> {
  const audit = options.audit ?? noAudit;
  const installation = await ensureInstallation(db, { audit });
  const keys = new ApiKeyService(db, { audit });
  const { key, secret } = await keys.create({
    organizationId: installation.organizationId,
    projectId: installation.defaultProjectId,
    name: 'recovered admin',
    role: 'admin',
    orgAdmin: true,
  });
  audit.record({
    action: 'key.recover',
    projectId: key.projectId,
    target: { type: 'key', id: key.id },
    detail: { orgAdmin: true },
    actor: LOCAL_OPERATOR,
  });
  return { keyId: key.id, secret, projectId: key.projectId };
}
