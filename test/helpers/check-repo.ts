import assert from 'node:assert/strict';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, run } from './run.ts';

export const CHECK_REPOS = join(REPO_ROOT, 'test/fixtures/check-repos');
const GIT_ENV = { GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' };

/** A temp copy of a fixture repository, so git (and anything else) never touches the fixtures. */
export function copyFixtureRepo(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `firebreak-check-${name}-`));
  cpSync(join(CHECK_REPOS, name), dir, { recursive: true });
  return dir;
}

export async function git(dir: string, args: string[]): Promise<string> {
  const result = await run(
    'git',
    ['-c', 'user.name=Jane Dev', '-c', 'user.email=jane@example.com', ...args],
    { cwd: dir, env: GIT_ENV },
  );
  assert.equal(result.code, 0, `git ${args.join(' ')}: ${result.stderr}`);
  return result.stdout.trim();
}

/** `git init`, one commit of everything, a remote for sentry-cli, and optionally a tag on HEAD. */
export async function commitAll(dir: string, tag?: string): Promise<void> {
  await git(dir, ['init', '-q', '-b', 'main']);
  await git(dir, ['remote', 'add', 'origin', 'https://github.com/acme/web.git']);
  await git(dir, ['add', '-A']);
  await git(dir, ['commit', '-q', '-m', 'web 1.4.0']);
  if (tag) await git(dir, ['tag', tag]);
}

/** The real sentry-cli binary, pointed at the test server, run in `cwd`. */
export async function sentryCli(
  cwd: string,
  server: { url: string; token: string; org: string; project: string },
  args: string[],
): Promise<string> {
  const result = await run(join(REPO_ROOT, 'node_modules/.bin/sentry-cli'), args, {
    cwd,
    env: {
      ...GIT_ENV,
      SENTRY_DISABLE_UPDATE_CHECK: 'true',
      SENTRY_URL: server.url,
      SENTRY_AUTH_TOKEN: server.token,
      SENTRY_ORG: server.org,
      SENTRY_PROJECT: server.project,
    },
  });
  assert.equal(result.code, 0, `sentry-cli ${args.join(' ')}: ${result.stdout}${result.stderr}`);
  return result.stdout + result.stderr;
}
