import type { MitigationHookView } from '../../incidents/mitigation-hook.ts';
import type { HookResult } from '../../incidents/mitigation-hook-call.ts';
import type { TimelineEntryView } from '../../incidents/timeline.ts';
import type { Verification } from '../../incidents/verify.ts';
import { verificationRecord } from '../../incidents/verify-record.ts';
import type { TimelineEntry } from '../../store/types-incidents.ts';
import { isoDate } from './dates.ts';
import { serializeTimelineEntry } from './incident.ts';

/** The API shapes of mitigations, hooks, verifications; never a hook's secret. */

export function serializeHookResult(result: HookResult) {
  return {
    project: result.project,
    hook: result.hook,
    ok: result.ok,
    status: result.status,
    detail: result.detail,
    excerpt: result.excerpt,
    durationMs: result.durationMs,
  };
}

/** A recorded hook call (a `hook_result` entry, as incidents/hook-result-shown.ts shows it) under its mitigation. */
function serializeHookEntry(entry: TimelineEntry) {
  const data = entry.data as Partial<HookResult>;
  return {
    id: String(entry.id),
    project: data.project ?? null,
    hook: data.hook ?? null,
    ok: data.ok ?? false,
    status: data.status ?? null,
    detail: data.detail ?? '',
    excerpt: data.excerpt ?? null,
    durationMs: data.durationMs ?? null,
    occurredAt: isoDate(entry.occurredAt),
  };
}

export function serializeMitigation(entry: TimelineEntryView & { hooks: TimelineEntry[] }) {
  return { ...serializeTimelineEntry(entry), hooks: entry.hooks.map(serializeHookEntry) };
}

export function serializeMitigationHook(view: MitigationHookView) {
  return {
    project: view.project,
    configured: view.configured,
    url: view.url,
    command: view.command,
    hasSecret: view.hasSecret,
    dateUpdated: view.updatedAt === null ? null : isoDate(view.updatedAt),
  };
}

export function serializeVerification(
  verification: Verification,
  extra: { entry?: TimelineEntry | null; lastRecorded?: TimelineEntry | null } = {},
) {
  return {
    ...verificationRecord(verification),
    ...(extra.entry !== undefined ? { entryId: extra.entry ? String(extra.entry.id) : null } : {}),
    ...(extra.lastRecorded !== undefined
      ? {
          lastRecorded: extra.lastRecorded
            ? {
                entryId: String(extra.lastRecorded.id),
                verdict: extra.lastRecorded.data.verdict ?? null,
                occurredAt: isoDate(extra.lastRecorded.occurredAt),
                actor: extra.lastRecorded.actor,
              }
            : null,
        }
      : {}),
  };
}
