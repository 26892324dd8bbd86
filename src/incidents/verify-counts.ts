import type { AppContext } from '../context.ts';
import type { EventFilter } from '../store/types-events.ts';

interface Span {
  start: number;
  end: number;
}

/** Events per linked issue in a window of whole minutes. */
export type CountIn = (span: Span) => Promise<Map<number, number>>;

/**
 * How verification counts the linked issues' events. By default the minute buckets, every
 * environment (they survive retention). A mitigation in one environment — a rollback of
 * production — is judged by that environment's events alone, or staging still running the bad
 * release would keep it "not improved" forever; those come from the stored events, so only while
 * every event of the measured span is still stored (retention's per-issue cap may have pruned
 * some), else every environment as before. `environment` says which was counted.
 */
export async function verificationCounter(
  ctx: AppContext,
  scope: { orgId: number; projectIds: number[]; issueIds: number[] },
  environment: string | null,
  measured: Span,
): Promise<{ countIn: CountIn; environment: string | null }> {
  const { orgId, projectIds, issueIds } = scope;
  const fromBuckets: CountIn = async (s) => {
    const counts =
      s.end > s.start && projectIds.length > 0
        ? await ctx.store.signals.issueCounts({ projectIds, start: s.start, end: s.end })
        : new Map<number, number>();
    return new Map(issueIds.map((id) => [id, counts.get(id) ?? 0]));
  };
  if (environment === null || issueIds.length === 0) return { countIn: fromBuckets, environment: null };
  const fromEvents =
    (environmentFilter: string | null): CountIn =>
    async (s) => {
      if (s.end <= s.start) return new Map(issueIds.map((id) => [id, 0]));
      const { rows } = await ctx.store.events.discover({
        orgId,
        projectIds,
        start: s.start,
        end: s.end - 1,
        filters: incidentEventFilters(issueIds, environmentFilter),
        select: [{ attr: { column: 'issue.id' } }, { aggregate: { fn: 'count' } }],
        having: [],
        orderBy: [],
        limit: issueIds.length,
        offset: 0,
      });
      const counts = new Map(rows.map((row) => [Number(row[0]), Number(row[1])]));
      return new Map(issueIds.map((id) => [id, counts.get(id) ?? 0]));
    };
  const [stored, counted] = await Promise.all([fromEvents(null)(measured), fromBuckets(measured)]);
  const complete = issueIds.every((id) => (stored.get(id) ?? 0) >= (counted.get(id) ?? 0));
  if (!complete) return { countIn: fromBuckets, environment: null };
  return { countIn: fromEvents(environment), environment };
}

/** Events of these issues, in `environment` when one is given (null: every environment). */
export function incidentEventFilters(issueIds: number[], environment: string | null): EventFilter[] {
  const filters: EventFilter[] = [
    { kind: 'in', attr: { column: 'issue.id' }, negated: false, values: issueIds },
  ];
  if (environment !== null)
    filters.push({ kind: 'in', attr: { column: 'environment' }, negated: false, values: [environment] });
  return filters;
}
