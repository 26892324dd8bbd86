import { ApiClient } from './api-client.ts';
import type { CheckOptions } from './options.ts';

/**
 * One run of `firebreak check`: the options, the read-only API client, the clock, and the
 * answers already fetched, so `all` and `verify-loop` read each endpoint once.
 */
export interface CheckContext {
  options: CheckOptions;
  api: ApiClient;
  now: () => number;
  memo: Map<string, Promise<unknown>>;
}

export function createCheckContext(options: CheckOptions, now: () => number = Date.now): CheckContext {
  return { options, api: new ApiClient(options.url, options.token), now, memo: new Map() };
}

/** The first call runs `fetch`; later calls share its promise (and its failure). */
export function once<T>(ctx: CheckContext, key: string, fetch: () => Promise<T>): Promise<T> {
  let pending = ctx.memo.get(key) as Promise<T> | undefined;
  if (!pending) {
    pending = fetch();
    // The shared promise may only be awaited later; keep Node from reporting it unhandled.
    pending.catch(() => {});
    ctx.memo.set(key, pending);
  }
  return pending;
}

/** The command that repeats this check exactly, with the slugs it settled on; never a secret. */
export function rerunCommand(
  ctx: CheckContext,
  mode: string,
  extra: { org?: string | null; project?: string | null; hostNetwork?: boolean } = {},
): string {
  const o = ctx.options;
  const args = ['npx', 'firebreak', 'check', '--mode', mode];
  if (mode === 'setup-preflight') {
    // Repository only: no server, no slugs.
    args.push('--repo-root', o.repoRoot);
    if (o.json) args.push('--json');
    return args.map(shellQuote).join(' ');
  }
  // The default URL is left out, so the command stays what the person would type.
  if (o.urlSource !== 'default') args.push('--url', o.url);
  const org = extra.org ?? o.org;
  const project = extra.project ?? o.project;
  if (org) args.push('--org', org);
  if (project) args.push('--project', project);
  if (o.repoRootGiven) args.push('--repo-root', o.repoRoot);
  if (o.releaseSource === 'flag' && o.release) args.push('--release', o.release);
  if (o.stateFile) args.push('--state-file', o.stateFile);
  if (!o.autoSlugDiscovery) args.push('--no-auto-slug-discovery');
  if (o.sendTestEvent && (mode === 'local-smoke' || mode === 'all')) args.push('--send-test-event');
  if (o.json) args.push('--json');
  if (o.requireHostNetwork || (extra.hostNetwork && !o.strictNetwork)) args.push('--require-host-network');
  else if (o.strictNetwork) args.push('--strict-network');
  return args.map(shellQuote).join(' ');
}

export function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}
