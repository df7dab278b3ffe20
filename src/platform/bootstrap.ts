/**
 * @module platform/bootstrap
 * First start: create the default organisation and project, and the first admin key —
 * `KEEL_BOOTSTRAP_KEY` when set (automation), otherwise a generated one returned to be printed once.
 */
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
  options: { bootstrapKey?: string | undefined } = {},
): Promise<Installation> {
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
