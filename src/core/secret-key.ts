/**
 * @module core/secret-key
 * The server's key for data sealed at rest: from `secretKey` / KEEL_SECRET_KEY (any string,
 * stretched with SHA-256), or a random key kept in `<data-dir>/secret.key` (mode 0600) and
 * created on first start. Replicas that share a database must share the key (KEEL_SECRET_KEY):
 * a mapping sealed by one is opened by another.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export function loadSecretKey(options: { secretKey?: string | undefined; dataDir: string }): Buffer {
  if (options.secretKey) return createHash('sha256').update(options.secretKey).digest();
  const file = path.join(options.dataDir, 'secret.key');
  if (!existsSync(file)) {
    mkdirSync(options.dataDir, { recursive: true });
    try {
      writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' });
    } catch (error) {
      // Another process created it first: use theirs.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  return Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
}
