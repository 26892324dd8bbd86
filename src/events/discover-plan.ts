import { invalid } from '../app-error.ts';
import type { AppContext } from '../context.ts';
import { latestReleaseVersions } from '../issues/latest-release.ts';
import type { Org, Project } from '../store/types.ts';
import type { AggregateFilter, DiscoverQuery, EventFilter } from '../store/types-events.ts';
import { clip } from '../validation.ts';
import { type DiscoverField, parseField } from './fields.ts';
import { issueResolver } from './projects.ts';
import type { DiscoverInput } from './schemas.ts';
import { parseEventQuery } from './search-query.ts';
import { parseTimeRange, type TimeRange } from './time-range.ts';

/** Sentry's Discover looks back 14 days when no time window is given. */
export const DEFAULT_PERIOD = '14d';

export function planFields(names: string[]): DiscoverField[] {
  if (names.length === 0) throw invalid('No columns selected: give at least one field');
  return [...new Set(names)].map(parseField);
}

/** `sort=-count()`: the field must be selected, as in Sentry. */
export function planSort(field: string, names: string[]): { index: number; desc: boolean } {
  const desc = field.startsWith('-');
  const name = desc ? field.slice(1) : field;
  const index = names.indexOf(name);
  if (index < 0) throw invalid(`Cannot sort by a field that is not selected: "${clip(name)}"`);
  return { index, desc };
}

export interface PlannedQuery {
  filters: EventFilter[];
  having: AggregateFilter[];
}

export async function planQuery(
  ctx: AppContext,
  org: Org,
  input: { query: string; environment: string[] },
  projects: { all: Project[]; selected: Project[] },
  aggregated: boolean,
): Promise<PlannedQuery> {
  const parsed = await parseEventQuery(input.query, {
    now: ctx.clock.now(),
    projects: projects.all,
    resolveIssue: issueResolver(ctx, org, projects.all),
    latestReleases: () => latestReleaseVersions(ctx, org.id, projects.selected),
    allowAggregates: aggregated,
  });
  if (input.environment.length > 0) {
    parsed.filters.push({
      kind: 'in',
      attr: { column: 'environment' },
      negated: false,
      values: input.environment,
    });
  }
  return parsed;
}

export interface DiscoverPlan {
  fields: DiscoverField[];
  query: DiscoverQuery;
  /** The window eps()/epm() divide by. */
  windowMs: number | null;
}

/** Every part of a Discover request checked and mapped; the first problem is thrown as a 400. */
export async function planDiscover(
  ctx: AppContext,
  org: Org,
  input: DiscoverInput,
  projects: { all: Project[]; selected: Project[] },
): Promise<DiscoverPlan> {
  const fields = planFields(input.field);
  const names = fields.map((f) => f.name);
  const orderBy = [...input.sort, ...input.orderby].map((s) => planSort(s, names));
  const aggregated = fields.some((f) => 'aggregate' in f.select);
  const { filters, having } = await planQuery(ctx, org, input, projects, aggregated);
  const now = ctx.clock.now();
  const range: TimeRange = parseTimeRange(input, now, DEFAULT_PERIOD);
  return {
    fields,
    windowMs: range.start === undefined ? null : (range.end ?? now) - range.start,
    query: {
      orgId: org.id,
      projectIds: projects.selected.map((p) => p.id),
      ...range,
      filters,
      select: fields.map((f) => f.select),
      having,
      orderBy,
      limit: input.per_page,
      offset: 0,
    },
  };
}
