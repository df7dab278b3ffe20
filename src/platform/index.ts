/**
 * @module platform
 * Installation, users, projects, API keys, roles and usage metering: who may do what, and what it
 * cost. Other modules import it only through this file.
 */
import type { AuditLog } from '../audit/index.js';
import type { KeelModule, ModuleBase } from '../core/module.js';
import { ApiKeyService } from './api-keys.js';
import { ensureInstallation, type Installation } from './bootstrap.js';
import { ProjectService } from './projects.js';
import { UsageMeter } from './usage-meter.js';
import { UserService } from './users.js';

export { ApiKeyService } from './api-keys.js';
export { BatchWriter, storableFields } from './batch-writer.js';
export { ensureInstallation, type Installation } from './bootstrap.js';
export { ProjectService } from './projects.js';
export { type Permission, type Role, roleAllows } from './roles.js';
export { UsageMeter } from './usage-meter.js';
export { UserService } from './users.js';

export interface PlatformApi {
  installation: Installation;
  keys: ApiKeyService;
  users: UserService;
  projects: ProjectService;
  usage: UsageMeter;
}

/** The platform module: first start bootstrap, then keys, users, projects and the usage meter. */
export const platformModule: KeelModule<ModuleBase & { audit: AuditLog }, PlatformApi> = {
  name: 'platform',
  async create({ db, config, logger, metrics, audit }) {
    const installation = await ensureInstallation(db, { bootstrapKey: config.bootstrapKey, audit });
    const keys = new ApiKeyService(db, { audit });
    const usage = new UsageMeter(db, {
      flushIntervalMs: config.usage.flushIntervalMs,
      maxBatch: config.usage.maxBatch,
      logger,
      metrics,
    });
    return {
      installation,
      keys,
      users: new UserService(db, keys, audit),
      projects: new ProjectService(db, audit),
      usage,
    };
  },
  close: ({ usage }) => usage.close(),
};
