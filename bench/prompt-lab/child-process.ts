/**
 * Starts a TypeScript script in its own process (through tsx) and waits for the first JSON line
 * it prints, which says where it listens. `stop()` ends it.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export async function startTsChild<T>(
  script: string,
  args: string[] = [],
  timeoutMs = 60_000,
): Promise<{ info: T; stop(): Promise<void> }> {
  const child = spawn(path.join(root, 'node_modules', '.bin', 'tsx'), [path.join(root, script), ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const info = await new Promise<T>((resolve, reject) => {
    let buffer = '';
    const timer = setTimeout(
      () => reject(new Error(`${script} did not start in time.\n${stderr}`)),
      timeoutMs,
    );
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const line = buffer.split('\n').find((candidate) => candidate.trim().startsWith('{'));
      if (line) {
        clearTimeout(timer);
        resolve(JSON.parse(line) as T);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited with ${code}.\n${stderr}`));
    });
  });
  return {
    info,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
