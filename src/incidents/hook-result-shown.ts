import { effectiveScopes, type Principal } from '../auth/principal.ts';
import type { Scope } from '../auth/scopes.ts';
import { ANSWERED, replyExcerpt, splitLegacyDetail } from '../outgoing/reply-excerpt.ts';
import type { TimelineEntry } from '../store/types-incidents.ts';
import { COMMAND_SCOPES, WEBHOOK_SCOPES } from './mitigation-hook.ts';
import type { HookResult } from './mitigation-hook-call.ts';

/**
 * What a hook call shows, and to whom. Its status, timing and Firebreak's own words go to
 * everyone who reads the incident; the reply (a webhook's answer body, a command's output) may
 * carry the called service's secrets or internals, so its scrubbed excerpt goes only to those
 * who may configure that hook, as putMitigationHook asks: project:write (or project:admin) for a
 * webhook; for a command that and org:admin too (or project:admin alone).
 */
const CONFIGURES: Record<HookResult['hook'], Scope[][]> = {
  // Each list is one scope putMitigationHook requires, any of its members.
  webhook: [WEBHOOK_SCOPES],
  command: [WEBHOOK_SCOPES, COMMAND_SCOPES],
};

/** Call after the organisation was resolved (loadIncident), which caps a user's token by role. */
export function hookRepliesShownTo(principal: Principal): (hook: HookResult['hook']) => boolean {
  const scopes = effectiveScopes(principal);
  return (hook) => CONFIGURES[hook].every((anyOf) => anyOf.some((scope) => scopes.has(scope)));
}

const COMMAND_STATUS = /^(?:exit \S+|killed after \d+ s)(?=: |$)/;

/**
 * A stored result as shown. Rows written before replies were kept apart have no `excerpt` and
 * hold the reply in `detail` ("host answered 502: <body>", "exit 3: <output>", or a successful
 * command's output alone): it is split off and scrubbed here.
 */
export function shownHookResult(
  result: Omit<HookResult, 'excerpt' | 'durationMs'> & Partial<Pick<HookResult, 'excerpt' | 'durationMs'>>,
  showsReply: (hook: HookResult['hook']) => boolean,
): HookResult {
  let { detail } = result;
  let excerpt = result.excerpt ?? null;
  if (result.excerpt === undefined) {
    if (result.hook === 'webhook') ({ detail, excerpt } = splitLegacyDetail(detail, ANSWERED));
    else if (result.ok && result.status === 0) {
      excerpt = detail === 'exit 0' ? null : replyExcerpt(detail, 'end');
      detail = 'exit 0';
    } else ({ detail, excerpt } = splitLegacyDetail(detail, COMMAND_STATUS, 'end'));
  }
  return {
    project: result.project,
    hook: result.hook,
    ok: result.ok,
    status: result.status,
    detail,
    excerpt: showsReply(result.hook) ? excerpt : null,
    durationMs: result.durationMs ?? null,
  };
}

/** The text of a `hook_result` entry: the status, never the reply. */
export function hookResultText(result: Pick<HookResult, 'hook' | 'project' | 'ok' | 'detail'>): string {
  const kind = result.hook === 'webhook' ? 'Webhook' : 'Command';
  return `${kind} hook for ${result.project}: ${result.ok ? 'ok' : 'failed'} — ${result.detail}`.slice(
    0,
    2000,
  );
}

/** A timeline entry as shown: a `hook_result` rewritten by shownHookResult, any other as it is. */
export function shownEntry<T extends TimelineEntry>(
  entry: T,
  showsReply: (hook: HookResult['hook']) => boolean,
): T {
  if (entry.kind !== 'hook_result') return entry;
  const data = entry.data as Partial<HookResult> & { mitigationEntryId?: unknown };
  const shown = shownHookResult(
    {
      project: String(data.project ?? ''),
      hook: data.hook === 'command' ? 'command' : 'webhook',
      ok: data.ok === true,
      status: typeof data.status === 'number' ? data.status : null,
      detail: String(data.detail ?? ''),
      excerpt: data.excerpt,
      durationMs: data.durationMs,
    },
    showsReply,
  );
  const { excerpt, ...always } = shown;
  const { excerpt: _stored, ...rest } = entry.data;
  return {
    ...entry,
    body: hookResultText(shown),
    data: { ...rest, ...always, ...(excerpt === null ? {} : { excerpt }) },
  };
}

/** For readers with no caller to ask (post-mortems): the status alone. */
export const NO_REPLIES = (): boolean => false;
