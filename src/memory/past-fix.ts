import type { AppContext } from '../context.ts';
import type { Incident } from '../store/types-incidents.ts';

/** How a past incident was fixed: its mitigations (rollback, hotfix, …) as its timeline recorded them. */
export interface PastFix {
  mitigations: {
    type: string;
    release: string | null;
    environment: string | null;
    description: string | null;
    /** The timeline's own line: `Rollback to web@1 in production`. */
    summary: string;
    occurredAt: number;
  }[];
  /** Reason given when it was resolved without a verified fix. */
  resolutionOverride: string | null;
}

const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

export async function pastFixOf(ctx: AppContext, incident: Incident): Promise<PastFix> {
  const entries = await ctx.store.timeline.list(incident.id);
  return {
    mitigations: entries
      .filter((e) => e.kind === 'mitigation')
      .map((e) => ({
        type: text(e.data.type) ?? 'other',
        release: text(e.data.release),
        environment: text(e.data.environment),
        description: text(e.data.description),
        summary: e.body,
        occurredAt: e.occurredAt,
      })),
    resolutionOverride: incident.resolutionOverride,
  };
}

/** `Rollback to web@1; Hotfix web@3`, or null when nothing was recorded. */
export function fixSummary(fix: PastFix): string | null {
  if (fix.mitigations.length === 0) return null;
  return fix.mitigations.map((m) => m.summary).join('; ');
}
