import { type ChildProcess, spawn } from 'node:child_process';
import { REPO_ROOT } from './run.ts';

export interface CliServer {
  child: ChildProcess;
  url: string;
  /** Resolves with the exit code (or signal name) when the process ends. */
  exited: Promise<number | string>;
}

/** Starts `firebreak serve` as its own process (the real CLI) and waits until it listens. */
export function spawnServe(args: string[], env: Record<string, string> = {}): Promise<CliServer> {
  const child = spawn(
    process.execPath,
    ['bin/firebreak.js', 'serve', '--host', '127.0.0.1', '--port', '0', ...args],
    {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH ?? '', FIREBREAK_LOG_LEVEL: 'warn', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const exited = new Promise<number | string>((resolve) => {
    child.on('exit', (code, signal) => resolve(code ?? signal ?? 'unknown'));
  });
  return new Promise((resolve, reject) => {
    let stderr = '';
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${stderr}`)), 30_000);
    child.stderr!.on('data', (chunk) => {
      stderr += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(stderr);
      if (match) {
        clearTimeout(timer);
        resolve({ child, url: match[1], exited });
      }
    });
    child.on('exit', () => reject(new Error(`serve exited early: ${stderr}`)));
  });
}
