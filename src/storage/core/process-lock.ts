/**
 * @module storage/core/process-lock
 * PGlite is one process's database: a second process opening the same directory would corrupt
 * it. A lock file holding the owner's pid keeps a second Keel out; a lock left by a dead process
 * is taken over.
 */
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { KeelError } from '../../core/errors.js';

export interface ProcessLock {
  release(): void;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function acquireProcessLock(file: string, what: string): ProcessLock {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      let released = false;
      return {
        release() {
          if (released) return;
          released = true;
          rmSync(file, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number.parseInt(readFileSync(file, 'utf8'), 10);
      if (Number.isFinite(owner) && owner !== process.pid && alive(owner)) {
        throw new KeelError(
          'service_unavailable',
          `${what} is in use by process ${owner} (a running \`keel serve\`?).`,
          {
            data: { hint: 'Stop that process, or talk to it with `keel --url <its address> --key <key> …`.' },
          },
        );
      }
      rmSync(file, { force: true });
    }
  }
  throw new KeelError('service_unavailable', `Could not lock ${what}.`);
}
