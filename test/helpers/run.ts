import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Runs a real program to completion; resolves with its output and exit code. */
export function run(
  command: string,
  args: string[],
  options: { env?: Record<string, string>; cwd?: string; timeoutMs?: number } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd ?? REPO_ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Runs the @sentry/node fixture app with a scenario; returns the event ids it captured. */
export async function runSdkApp(
  scenario: string,
  env: { SENTRY_DSN: string; SENTRY_RELEASE?: string; SENTRY_ENVIRONMENT?: string },
): Promise<Record<string, string[]>> {
  const result = await run(process.execPath, ['test/fixtures/apps/sdk-app.mjs', scenario], { env });
  if (result.code !== 0) throw new Error(`sdk app failed (${result.code}): ${result.stderr}`);
  const parsed = JSON.parse(result.stdout) as { flushed: boolean; ids: Record<string, string[]> };
  if (!parsed.flushed) throw new Error('the SDK did not flush');
  return parsed.ids;
}
