import type { AppContext } from '../context.ts';
import type { TimelineEntry } from '../store/types-incidents.ts';
import { latestMitigation } from './mitigate.ts';
import type { Period } from './triage-windows.ts';
import { type CountIn, verificationCounter } from './verify-counts.ts';

/**
 * The environment an incident's numbers count. An incident records its environment through its
 * mitigation (`--environment production` on the rollback), which verification already judges by;
 * triage and the post-mortem follow the latest mitigation as of the moment they describe, or an
 * environment asked for by name (`?environment=`), so staging noise does not widen a production
 * incident's blast radius. Counting one environment reads the stored events, so it holds only
 * while every event of the measured period is still stored (verify-counts.ts); otherwise, and
 * when the incident names none, every environment is counted and `text` says why.
 */
export interface CountedEnvironment {
  /** The environment counted; null: every environment. */
  name: string | null;
  /** Where it came from: asked for by name, the latest mitigation's, or none. */
  source: 'query' | 'mitigation' | null;
  text: string;
}

/** The environment of the latest mitigation at or before `at` (null: none, or it named none). */
export function mitigatedEnvironment(entries: TimelineEntry[], at: number): string | null {
  const mitigation = latestMitigation(entries.filter((e) => e.occurredAt <= at));
  const environment = mitigation?.data.environment;
  return typeof environment === 'string' && environment !== '' ? environment : null;
}

export async function countedEnvironment(
  ctx: AppContext,
  scope: { orgId: number; projectIds: number[]; issueIds: number[] },
  wanted: { name: string | null; source: 'query' | 'mitigation' | null },
  measured: Period,
): Promise<{ environment: CountedEnvironment; countIn: CountIn }> {
  const { countIn, environment } = await verificationCounter(ctx, scope, wanted.name, measured);
  if (environment !== null) {
    const why = wanted.source === 'query' ? 'as asked' : "the latest mitigation's environment";
    return {
      countIn,
      environment: { name: environment, source: wanted.source, text: `${environment} only (${why})` },
    };
  }
  const text =
    wanted.name === null || scope.issueIds.length === 0
      ? 'every environment: the incident names none (record the mitigation with its environment, or ask for one with ?environment=)'
      : `every environment: not all of ${wanted.name}'s events of the period are still stored (retention), so they cannot be told apart`;
  return { countIn, environment: { name: null, source: null, text } };
}
