import { expandScopes } from '../auth/scopes.ts';
import { ApiRefused, ApiUnreachable } from './api-client.ts';
import { type CheckContext, once, rerunCommand } from './context.ts';
import { cleanText, maskToken } from './mask.ts';
import type { Findings } from './report.ts';
import type { SingleMode } from './schemas.ts';
import { resolveTarget, type Target } from './slugs.ts';

/** What each API check reads, as Sentry's endpoint permissions name it (any scope of a row will do). */
export const SCOPE_NEEDS: { anyOf: string[]; neededBy: SingleMode[]; what: string }[] = [
  {
    anyOf: ['org:read'],
    neededBy: ['local-smoke', 'prod-health', 'release-gate', 'issue-triage', 'verify-loop'],
    what: 'organisation and project lists',
  },
  {
    // release-gate reads issues too, but a CI token (org:ci) cannot: it checks the rest and says
    // so (release-server.ts), as 002 gives CI tokens release work and triage tokens event:read.
    anyOf: ['event:read'],
    neededBy: ['prod-health', 'issue-triage', 'verify-loop'],
    what: 'issue lists',
  },
  {
    anyOf: ['project:read', 'project:releases', 'org:ci'],
    neededBy: ['release-gate', 'verify-loop'],
    what: 'releases, commits and deploys',
  },
];

export const SUGGESTED_SCOPES = 'org:read,project:read,project:releases,event:read';

export interface TokenInfo {
  user: string | null;
  scopes: string[];
}

/** `GET /api/0/`: both Sentry and Firebreak answer `{user, auth: {scopes}}` for a valid token. */
export function tokenInfo(ctx: CheckContext): Promise<TokenInfo> {
  return once(ctx, 'token', async () => {
    const { body } = await ctx.api.get<{
      user?: Record<string, unknown> | null;
      auth?: { scopes?: unknown };
    }>('/api/0/');
    if (!body?.auth) throw new ApiRefused(401, '/api/0/', 'the server did not recognise the token');
    const scopes = Array.isArray(body.auth.scopes) ? body.auth.scopes.map((s) => cleanText(s, 40)) : [];
    const who = body.user?.email || body.user?.username || body.user?.name;
    return { user: who ? cleanText(who, 80) : null, scopes: scopes.sort() };
  });
}

export function missingScopes(scopes: string[], modes: SingleMode[]) {
  const held = expandScopes(scopes);
  return SCOPE_NEEDS.filter((need) => need.neededBy.some((m) => modes.includes(m)))
    .filter((need) => !need.anyOf.some((s) => held.has(s)))
    .map((need) => ({
      scopes: need.anyOf,
      neededBy: need.neededBy.filter((m) => modes.includes(m)),
      what: need.what,
    }));
}

/**
 * What every API mode does first: a token is there and valid, it has the scopes this mode
 * reads with, and the org/project slugs resolve. Null means the report already says why.
 */
export async function prepareApiMode(
  ctx: CheckContext,
  report: Findings,
  modes: SingleMode[],
): Promise<Target | null> {
  const { options } = ctx;
  if (!options.token) {
    report.fail(
      'no API token: set SENTRY_AUTH_TOKEN or FIREBREAK_TOKEN (never a flag: shell history keeps it)',
    );
    report.next(`export SENTRY_AUTH_TOKEN=…  # a token with ${SUGGESTED_SCOPES}`);
    return null;
  }
  try {
    const info = await tokenInfo(ctx);
    const missing = missingScopes(info.scopes, modes);
    reportMissingScopes(ctx, report, missing);
    if (missing.length > 0) return null;
    const resolution = await resolveTarget(ctx);
    for (const fact of resolution.facts) report.fact(fact);
    if (resolution.ok) return resolution.target;
    if (options.mode === 'all' && resolution.problem !== 'invalid') {
      // `all` degrades: without org/project the production checks are skipped, not failed.
      report.skipped = true;
      report.warn(`skipped: ${resolution.message}`);
    } else {
      report.fail(resolution.message);
    }
    report.next(rerunCommand(ctx, options.mode, { org: resolution.org ?? '<org>', project: '<project>' }));
    return null;
  } catch (error) {
    reportApiFailure(ctx, report, error);
    return null;
  }
}

export function reportMissingScopes(
  ctx: CheckContext,
  report: Findings,
  missing: ReturnType<typeof missingScopes>,
): void {
  for (const need of missing) {
    report.fail(
      `token ${maskToken(ctx.options.token ?? '')} lacks ${need.scopes.join(' or ')} (${need.what}), needed by ${need.neededBy.join(', ')}`,
    );
  }
  if (missing.length > 0) report.next(tokenCommand(ctx.options.org));
}

/** Maps what the API said to the output contract; anything else is a bug and propagates. */
export function reportApiFailure(ctx: CheckContext, report: Findings, error: unknown): void {
  const { options } = ctx;
  if (error instanceof ApiUnreachable) {
    const tried = ctx.api.requested.at(-1);
    if (tried) report.fact(`tried ${tried} at ${options.url}: no answer`);
    const line = `the Web API at ${options.url} is unavailable: ${error.reason}`;
    if (options.strictNetwork) {
      const flag = options.requireHostNetwork ? '--require-host-network' : '--strict-network';
      report.fail(`${line} (a failure because ${flag} is set)`);
    } else {
      report.warn(`inconclusive: ${line}; rerun where the host network is available`);
    }
    report.next(rerunCommand(ctx, options.mode, { hostNetwork: true }));
    return;
  }
  if (!(error instanceof ApiRefused)) throw error;
  const where = `GET ${cleanText(error.path, 120)}`;
  if (error.status === 401) {
    report.fail(`token ${maskToken(options.token ?? '')} rejected (401 on ${where}): ${error.detail}`);
    report.next(tokenCommand(options.org));
  } else if (error.status === 403) {
    report.fail(`permission denied (403 on ${where}): ${error.detail}; the token's scopes are not enough`);
    report.next(rerunCommand(ctx, 'local-smoke'));
  } else if (error.status === 404) {
    report.fail(`not found (404 on ${where}): ${error.detail}`);
  } else if (error.status === 429) {
    // Rate limited (sentry.io limits API calls per token): nothing was learned either way.
    report.warn(`inconclusive: the server rate-limited the check (429 on ${where}); rerun in a minute`);
    report.next(rerunCommand(ctx, options.mode));
  } else if (error.status >= 200 && error.status < 300) {
    // Answered, but not with the API's JSON: a web page, a proxy's sign-in, another service.
    report.fail(`${where} answered ${error.status}, but not as the Web API does: ${error.detail}`);
  } else {
    report.fail(`the server refused ${where} (${error.status}): ${error.detail}`);
  }
}

function tokenCommand(org: string | null): string {
  return `npx firebreak token create --org ${org ?? '<org>'} --scopes ${SUGGESTED_SCOPES}  # on Sentry: Settings › Auth Tokens`;
}
