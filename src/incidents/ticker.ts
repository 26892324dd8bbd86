import { startTicker } from '../background/ticker.ts';
import type { AppContext } from '../context.ts';
import type { Incident } from '../store/types-incidents.ts';
import { latestMitigation } from './mitigate.ts';
import { loadIncidentSettings } from './settings.ts';
import { syncTimeline } from './timeline.ts';
import { computeVerification, recordVerification } from './verify.ts';

export interface TickResult {
  incidents: number;
  synced: number;
  verified: number;
  recorded: number;
  failed: number;
}

/**
 * One background pass over the unresolved incidents: brings their timelines up to date (deploys,
 * new issues) and re-verifies those with a mitigation, writing a `verification` entry only when
 * the verdict for the latest mitigation changed. The entry's dedupe key names the entry it
 * follows, so several servers ticking on one database write each change once.
 */
export async function tickIncidents(ctx: AppContext): Promise<TickResult> {
  const result: TickResult = { incidents: 0, synced: 0, verified: 0, recorded: 0, failed: 0 };
  // Verification reads minute buckets (docs/decisions/0009-deferred-counters.md).
  await ctx.committer.writeOpenWindowsGently();
  for (const incident of await ctx.store.incidents.listUnresolved()) {
    result.incidents++;
    try {
      result.synced += await syncTimeline(ctx, incident);
      if (incident.mitigatedAt === null) continue;
      if (await reverify(ctx, incident)) result.recorded++;
      result.verified++;
    } catch (error) {
      // One broken incident must not stop the others from being checked.
      result.failed++;
      ctx.logger.error({ err: error, incidentId: incident.id }, 'incident tick failed');
    }
  }
  return result;
}

async function reverify(ctx: AppContext, incident: Incident): Promise<boolean> {
  const entries = await ctx.store.timeline.list(incident.id);
  const mitigation = latestMitigation(entries);
  if (!mitigation) return false;
  const settings = await loadIncidentSettings(ctx, incident.orgId);
  const verification = await computeVerification(ctx, incident, settings, entries);
  // "pending" (no minute has passed) and "no_data" (no linked issues) are not findings.
  if (verification.verdict === 'pending' || verification.verdict === 'no_data') return false;
  const previous = entries.findLast(
    (e) =>
      e.kind === 'verification' &&
      (e.data.mitigation as { entryId?: string } | null)?.entryId === String(mitigation.id),
  );
  if (previous?.data.verdict === verification.verdict) return false;
  const written = await recordVerification(
    ctx,
    incident,
    verification,
    'system',
    `verification:${mitigation.id}:after:${previous?.id ?? 0}`,
  );
  return written !== null;
}

/** Runs tickIncidents every `incidentTickSeconds` (0: never); stop waits for a pass in progress. */
export function startIncidentTicker(ctx: AppContext): () => Promise<void> {
  return startTicker(ctx.logger, {
    seconds: ctx.config.incidentTickSeconds,
    failure: 'incident tick failed',
    pass: () => tickIncidents(ctx),
  });
}
