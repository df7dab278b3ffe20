/**
 * Child processes for the benchmark: each server runs alone in its own process, and the load
 * generator (autocannon) in another, so none of them shares an event loop with what it measures.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const tsx = path.join(root, 'node_modules', '.bin', 'tsx');

export interface Child {
  process: ChildProcess;
  stop(): Promise<void>;
}

/** Starts a process and waits for the first JSON line it prints on stdout. */
export async function startJsonChild<T>(
  command: string,
  args: string[],
  timeoutMs = 60_000,
): Promise<Child & { info: T }> {
  const child = spawn(command, args, {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NODE_ENV: 'production' },
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const info = await new Promise<T>((resolve, reject) => {
    let buffer = '';
    const timer = setTimeout(
      () => reject(new Error(`${path.basename(args[0] ?? command)} did not start in time.\n${stderr}`)),
      timeoutMs,
    );
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const line = buffer.split('\n').find((candidate) => candidate.trim().startsWith('{'));
      if (line) {
        clearTimeout(timer);
        resolve(JSON.parse(line) as T);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${args[0] ?? command} exited with ${code}.\n${stderr}`));
    });
  });
  return { process: child, info, stop: () => stopChild(child) };
}

export function startTsChild<T>(script: string, args: string[] = [], timeoutMs = 60_000) {
  return startJsonChild<T>(tsx, [path.join(root, script), ...args], timeoutMs);
}

/** Starts a server that announces itself by listening, not by printing (Portkey). */
export async function startPortkey(port: number): Promise<Child & { url: string }> {
  const entry = path.join(root, 'node_modules', '@portkey-ai', 'gateway', 'build', 'start-server.js');
  const child = spawn(process.execPath, [entry, `--port=${port}`, '--headless'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      const response = await fetch(url);
      await response.arrayBuffer();
      break;
    } catch {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error('Portkey did not start.');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  return { process: child, url, stop: () => stopChild(child) };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
  await once(child, 'exit');
  clearTimeout(timer);
}

export interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; average: number };
  errors: number;
  non2xx: number;
}

/** Runs autocannon in its own process and returns its JSON summary. */
export async function autocannon(options: {
  url: string;
  connections: number;
  seconds: number;
  body: string;
  headers: Record<string, string>;
}): Promise<AutocannonResult> {
  const bin = path.join(root, 'node_modules', '.bin', 'autocannon');
  const args = [
    '-c',
    String(options.connections),
    '-d',
    String(options.seconds),
    '-m',
    'POST',
    '-b',
    options.body,
    '-j',
  ];
  for (const [key, value] of Object.entries(options.headers)) args.push('-H', `${key}=${value}`);
  args.push(options.url);
  const child = spawn(bin, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  await once(child, 'exit');
  return JSON.parse(stdout) as AutocannonResult;
}

/** The node-llama-cpp anchor, kept running: each `generate()` is one timed generation. */
export async function startLlamaDirect(maxTokens: number): Promise<Child & { generate(): Promise<number> }> {
  const child = spawn(tsx, [path.join(root, 'bench/gateway/llama-direct.ts'), String(maxTokens)], {
    cwd: root,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const waiting: ((line: string) => void)[] = [];
  let buffer = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    let index = buffer.indexOf('\n');
    while (index >= 0) {
      const line = buffer.slice(0, index);
      buffer = buffer.slice(index + 1);
      const waiter = waiting.shift();
      if (waiter) waiter(line);
      else lines.push(line);
      index = buffer.indexOf('\n');
    }
  });
  const nextLine = () =>
    new Promise<string>((resolve) => (lines.length ? resolve(lines.shift()!) : waiting.push(resolve)));
  await nextLine();
  return {
    process: child,
    async generate() {
      child.stdin!.write('run\n');
      return (JSON.parse(await nextLine()) as { tokensPerSecond: number }).tokensPerSecond;
    },
    stop: () => stopChild(child),
  };
}

/**
 * CPU time (user + system, every thread) a process and its descendants have used, in ms (tsx
 * runs a script in a child process); NaN where /proc is not there.
 */
export function cpuMs(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    let total = ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      const children = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim();
      for (const child of children ? children.split(' ') : []) total += cpuMs(Number(child));
    }
    return total;
  } catch {
    return Number.NaN;
  }
}
