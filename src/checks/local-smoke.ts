import { expandScopes } from '../auth/scopes.ts';
import { ApiRefused, ApiUnreachable } from './api-client.ts';
import { type CheckContext, rerunCommand } from './context.ts';
import { cleanText, maskDsn, maskToken, parseDsn } from './mask.ts';
import {
  missingScopes,
  prepareApiMode,
  reportApiFailure,
  reportMissingScopes,
  tokenInfo,
} from './prepare-api.ts';
import { CheckReport } from './report.ts';
import type { CheckResult, SingleMode, SmokeData } from './schemas.ts';
import { enc, type Target } from './slugs.ts';
import { confirmTestEvent, SMOKE_TEST_ENVIRONMENT, sendTestEvent } from './test-event.ts';

const API_MODES: SingleMode[] = ['local-smoke', 'prod-health', 'release-gate', 'issue-triage', 'verify-loop'];

/**
 * Connectivity and credentials: the API answers, the token is valid and carries the scopes the
 * other modes read with, the slugs resolve, the DSN belongs to the project and its key is active;
 * with --send-test-event, one event through the DSN, read back through the API.
 */
export async function runLocalSmoke(ctx: CheckContext): Promise<CheckResult> {
  const report = new CheckReport('local-smoke');
  const { options } = ctx;
  const data: SmokeData = { user: null, scopes: [], missingScopes: [], dsn: null, testEvent: null };
  const dsn = options.dsn ? parseDsn(options.dsn) : null;
  if (options.dsn && !dsn) report.fail('SENTRY_DSN is set but is not a DSN (scheme://key@host/project-id)');
  if (!options.dsn) {
    if (options.sendTestEvent) report.fail('--send-test-event needs SENTRY_DSN in the environment');
    else report.note('SENTRY_DSN is not set: the DSN was not checked');
  }
  if (options.token) {
    try {
      const info = await tokenInfo(ctx);
      data.user = info.user;
      data.scopes = info.scopes;
      report.fact(`the Web API at ${options.url} answered GET /api/0/`);
      report.fact(
        `token ${maskToken(options.token)} (from ${options.tokenSource}) is valid, ${info.user ? `for ${info.user}` : 'without a user (organisation or internal token)'}`,
      );
      report.fact(`token scopes: ${info.scopes.join(' ') || 'none'}`);
    } catch (error) {
      reportApiFailure(ctx, report, error);
      return report.result(data);
    }
  }
  // Every scope another mode lacks is named; slugs are still checked when org:read is there.
  const missing = options.token ? missingScopes(data.scopes, API_MODES) : [];
  data.missingScopes = missing.map((m) => ({ scopes: m.scopes, neededBy: m.neededBy }));
  reportMissingScopes(ctx, report, missing);
  if (missing.some((m) => m.scopes.includes('org:read'))) return report.result(data);
  const target = await prepareApiMode(ctx, report, []);
  if (!target) return report.result(data);

  let serverHost: string | null = null;
  if (dsn) {
    data.dsn = {
      masked: maskDsn(options.dsn!),
      projectId: dsn.projectId,
      matchesProject: dsn.projectId === target.projectId,
      keyActive: null,
    };
    report.fact(`SENTRY_DSN ${data.dsn.masked} sends to ${dsn.host}, project id ${dsn.projectId}`);
    if (target.projectId && !data.dsn.matchesProject) {
      report.fail(
        `SENTRY_DSN is for project id ${dsn.projectId}, but ${target.project} is project id ${target.projectId}: events land elsewhere`,
      );
    } else {
      const key = await checkDsnKey(ctx, report, target, dsn.publicKey);
      data.dsn.keyActive = key.active;
      serverHost = key.serverHost;
    }
  }
  if (options.sendTestEvent && dsn && report.status !== 'FAIL') {
    data.testEvent = await sendAndConfirm(ctx, report, target, dsn);
  } else if (!options.sendTestEvent && dsn) {
    report.next(`${rerunCommand(ctx, 'local-smoke', target)} --send-test-event`);
  }
  // The server names the host its DSNs send to; another host (a default port, a stale copy)
  // sends nowhere, though a proxy in front of ingest may make it right: a test event read back
  // through it settles that.
  if (dsn && serverHost && serverHost !== dsn.host) {
    const line = `SENTRY_DSN sends to ${cleanText(dsn.host, 80)}, but the server's DSN for this key sends to ${cleanText(serverHost, 80)}`;
    if (data.testEvent?.confirmed) report.fact(`${line}; the test event arrived through it`);
    else
      report.warn(`${line}: events may not arrive unless ${cleanText(dsn.host, 80)} reaches the same server`);
  }
  if (report.status === 'PASS') report.next(rerunCommand(ctx, 'prod-health', target));
  return report.result(data);
}

const UNCHECKED = { active: null, serverHost: null };

/**
 * The DSN's public key is a key of the project, and active (a disabled key's events are refused);
 * with it, the host the server's own DSN for that key sends to.
 */
async function checkDsnKey(
  ctx: CheckContext,
  report: CheckReport<'local-smoke'>,
  target: Target,
  publicKey: string,
): Promise<{ active: boolean | null; serverHost: string | null }> {
  if (!expandScopes((await tokenInfo(ctx)).scopes).has('project:read')) {
    report.note('the DSN key was not checked against the project: the token lacks project:read');
    return UNCHECKED;
  }
  try {
    const { items } = await ctx.api.getAll<{
      public?: string;
      isActive?: boolean;
      name?: string;
      dsn?: { public?: string };
    }>(`/api/0/projects/${enc(target.org)}/${enc(target.project)}/keys/`, { per_page: 100 }, 5);
    const key = items.find((k) => k.public === publicKey);
    if (!key) {
      report.fail(
        `the DSN's key is not a key of ${target.org}/${target.project}: ingest will refuse its events`,
      );
      return { active: false, serverHost: null };
    }
    if (key.isActive === false) {
      report.fail(`the DSN's key "${cleanText(key.name, 40)}" is disabled: ingest refuses its events`);
      return { active: false, serverHost: null };
    }
    report.fact(`the DSN's key "${cleanText(key.name, 40)}" is an active key of ${target.project}`);
    return { active: true, serverHost: key.dsn?.public ? (parseDsn(key.dsn.public)?.host ?? null) : null };
  } catch (error) {
    if (error instanceof ApiRefused && error.status === 403) {
      report.note('the DSN key was not checked: the server refused the key list (403)');
      return UNCHECKED;
    }
    reportApiFailure(ctx, report, error);
    return UNCHECKED;
  }
}

async function sendAndConfirm(
  ctx: CheckContext,
  report: CheckReport<'local-smoke'>,
  target: Target,
  dsn: NonNullable<ReturnType<typeof parseDsn>>,
): Promise<SmokeData['testEvent']> {
  let sent: Awaited<ReturnType<typeof sendTestEvent>>;
  try {
    sent = await sendTestEvent(dsn, ctx.now());
  } catch (error) {
    // The DSN's host is ingest, not the Web API the other checks read: say which failed.
    if (!(error instanceof ApiUnreachable)) throw error;
    const line = `the test event was not sent: ${cleanText(error.reason, 200)}; check SENTRY_DSN's host`;
    if (ctx.options.strictNetwork) report.fail(line);
    else report.warn(`inconclusive: ${line}`);
    return null;
  }
  try {
    if (!sent.accepted) {
      report.fail(`ingest refused the test event: ${cleanText(sent.refusal, 160)}`);
      return { eventId: sent.eventId, accepted: false, confirmed: false };
    }
    report.fact(`test event ${sent.eventId} accepted by ingest (environment ${SMOKE_TEST_ENVIRONMENT})`);
    if (!expandScopes((await tokenInfo(ctx)).scopes).has('event:read')) {
      report.warn('the test event could not be read back: the token lacks event:read');
      return { eventId: sent.eventId, accepted: true, confirmed: false };
    }
    const confirmed = await confirmTestEvent(ctx, target, sent.eventId);
    if (confirmed) report.fact(`test event ${sent.eventId} read back from ${target.org}/${target.project}`);
    else report.warn(`test event ${sent.eventId} was accepted but did not show up within 30s`);
    return { eventId: sent.eventId, accepted: true, confirmed };
  } catch (error) {
    reportApiFailure(ctx, report, error);
    return null;
  }
}
