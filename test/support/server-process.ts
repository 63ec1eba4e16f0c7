// The real server as a child process, so tests can stop it, kill it and start it again.
import { spawn, type ChildProcess } from 'node:child_process';
import { testEnv, TEST_HTTP_PORT } from './config.js';

const root = new URL('../..', import.meta.url).pathname;

export interface ServerHandle {
  proc: ChildProcess;
  log: () => string;
  stop: (signal?: NodeJS.Signals) => Promise<number | null>;
}

export function startServer(extraEnv: Record<string, string> = {}): ServerHandle {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', ...testEnv(extraEnv) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  return {
    proc,
    log: () => out,
    stop: async (signal = 'SIGTERM') => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
      return exited;
    },
  };
}

export async function healthz(): Promise<{ status: number; body: any }> {
  const res = await fetch(`http://127.0.0.1:${TEST_HTTP_PORT}/healthz`, { signal: AbortSignal.timeout(2000) });
  return { status: res.status, body: await res.json() };
}

/** Polls until `check` returns a truthy value or the time runs out. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined | false | null>, timeoutMs = 20000): Promise<T> {
  const until = Date.now() + timeoutMs;
  let lastErr: unknown;
  while (Date.now() < until) {
    try {
      const v = await check();
      if (v) return v;
    } catch (err) {
      lastErr = err;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}${lastErr ? `: ${(lastErr as Error).message}` : ''}`);
}
