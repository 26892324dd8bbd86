import type { AppContext } from '../context.ts';
import { latestEvent, topFrameOf } from '../incidents/triage-frames.ts';
import type { IssueRate } from './issues.ts';

export interface FrameRow {
  file: string | null;
  function: string | null;
  /** An example line (from the busiest issue's latest event). */
  lineno: number | null;
  contextLine: string | null;
  inApp: boolean;
  /** Window events of the issues crashing here. */
  events: number;
  issues: string[];
}

/**
 * Where the window's errors are raised: the crash frame (newest in-app frame of the main
 * exception) of each top issue's latest event, grouped by file and function and weighted by the
 * issue's events in the window. Decoding one event per issue keeps this cheap on any volume.
 */
export async function topFrames(ctx: AppContext, issues: IssueRate[]): Promise<FrameRow[]> {
  const rows = new Map<string, FrameRow>();
  for (const rate of issues) {
    const latest = await latestEvent(ctx, rate.issue.id);
    const frame = latest ? topFrameOf(latest.eventId, latest.event) : null;
    if (!frame) continue;
    const file = frame.filename ?? frame.module ?? frame.absPath;
    const key = `${file}\u0000${frame.function}\u0000${frame.inApp}`;
    const row = rows.get(key) ?? {
      file,
      function: frame.function,
      lineno: frame.lineno,
      contextLine: frame.contextLine,
      inApp: frame.inApp,
      events: 0,
      issues: [],
    };
    row.events += rate.events;
    row.issues.push(rate.shortId);
    rows.set(key, row);
  }
  return [...rows.values()].sort((a, b) => b.events - a.events);
}
