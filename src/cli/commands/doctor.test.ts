import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dataDirPermissions } from './doctor.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'keel-doctor-'));
  await chmod(dir, 0o700);
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('keel doctor: data directory permissions', () => {
  it('is content with a private directory', async () => {
    await writeFile(path.join(dir, 'secret.key'), 'x', { mode: 0o600 });
    expect(await dataDirPermissions(dir)).toMatchObject({ status: 'ok' });
  });

  it('warns with a count, an example and the fix when others may read files', async () => {
    await mkdir(path.join(dir, 'db'), { mode: 0o700 });
    await writeFile(path.join(dir, 'db', 'wal'), 'x');
    await chmod(path.join(dir, 'db', 'wal'), 0o666);
    await writeFile(path.join(dir, 'secret.key'), 'x');
    await chmod(path.join(dir, 'secret.key'), 0o644);
    const check = await dataDirPermissions(dir);
    expect(check.status).toBe('warn');
    expect(check.detail).toMatch(/^2 files or directories can be accessed by other users, e\.g\. /);
    expect(check.detail).toMatch(/(wal|secret\.key)$/);
    expect(check.fix).toContain(`chmod -R go-rwx ${dir}`);
  });
});
