import type { AppContext } from '../context.ts';
import type { EventFilter } from '../store/types-events.ts';
import { type ContextField, scanContexts } from './triage-contexts.ts';
import { linkedEvents, type TriageScope } from './triage-scope.ts';

/**
 * Who and what the linked issues' recent events touched, from tags and contexts. Each event counts
 * once per dimension, under the first of the dimension's tag keys it carries (in the order
 * below); an event with none of them is read for the dimension's contexts.
 */
export const ORGANIZATION_TAGS = [
  'organization',
  'organization.slug',
  'organization.id',
  'org',
  'org.slug',
  'org.id',
  'org_id',
  'tenant',
  'tenant.id',
  'tenant_id',
  'customer',
  'customer.id',
  'customer_id',
  'account',
  'account.id',
  'account_id',
  'workspace',
] as const;

export const REGION_TAGS = [
  'region',
  'cloud.region',
  'cloud_region',
  'aws.region',
  'aws_region',
  'gcp.region',
  'azure.region',
  'fly.region',
  'vercel.region',
  'datacenter',
] as const;

/** Contexts an application sets with `Sentry.setContext('organization', {slug, id, name})` and alike. */
export const ORGANIZATION_CONTEXTS: ContextField[] = ['organization', 'tenant', 'customer', 'account'].map(
  (context) => ({ context, fields: ['slug', 'id', 'name'] }),
);

/** Sentry's Cloud Resource context (set by the SDKs' cloud integrations). */
export const REGION_CONTEXTS: ContextField[] = [{ context: 'cloud_resource', fields: ['cloud.region'] }];

interface DimensionSpec {
  tags: readonly string[];
  contexts: ContextField[];
}

export const DIMENSIONS = {
  organizations: { tags: ORGANIZATION_TAGS, contexts: ORGANIZATION_CONTEXTS },
  regions: { tags: REGION_TAGS, contexts: REGION_CONTEXTS },
  transactions: { tags: ['transaction'], contexts: [] },
  urls: { tags: ['url'], contexts: [] },
} satisfies Record<string, DimensionSpec>;

export type DimensionName = keyof typeof DIMENSIONS;

/** Values shown per breakdown. */
export const TOP_VALUES = 10;
/** Grouped rows read per tag key; beyond it the breakdown says `truncated`. */
const MAX_ROWS = 1000;

export interface ValueCount {
  value: string;
  count: number;
}

export interface Breakdown {
  /** Most events first (ties by value), at most TOP_VALUES. */
  values: ValueCount[];
  /** Distinct values seen. */
  distinct: number;
  /** Events carrying a value. */
  events: number;
  /** Where values came from: `tag:region`, `context:cloud_resource`. */
  sources: string[];
  truncated: boolean;
}

export type Breakdowns = Record<DimensionName, Breakdown>;

interface IssueTally {
  values: Map<string, number>;
  sources: Set<string>;
}

interface Tally {
  perIssue: Map<number, IssueTally>;
  truncated: boolean;
}

function add(tally: Tally, issueId: number, value: string, count: number): IssueTally {
  const issue = tally.perIssue.get(issueId) ?? {
    values: new Map<string, number>(),
    sources: new Set<string>(),
  };
  issue.values.set(value, (issue.values.get(value) ?? 0) + count);
  tally.perIssue.set(issueId, issue);
  return issue;
}

const hasTag = (tag: string, negated: boolean): EventFilter => ({
  kind: 'has',
  attr: { tag },
  negated,
});

async function tallyDimension(
  ctx: AppContext,
  scope: TriageScope,
  spec: DimensionSpec,
  presentTags: Set<string>,
): Promise<Tally> {
  const tally: Tally = { perIssue: new Map(), truncated: false };
  const tags = spec.tags.filter((tag) => presentTags.has(tag));
  const earlier: EventFilter[] = [];
  for (const tag of tags) {
    const { rows, hasMore } = await ctx.store.events.discover({
      ...linkedEvents(scope, scope.periods.recent, [hasTag(tag, false), ...earlier]),
      select: [{ attr: { column: 'issue.id' } }, { attr: { tag } }, { aggregate: { fn: 'count' } }],
      having: [],
      orderBy: [{ index: 2, desc: true }],
      limit: MAX_ROWS,
      offset: 0,
    });
    for (const [issueId, value, count] of rows) {
      add(tally, Number(issueId), String(value), Number(count)).sources.add(`tag:${tag}`);
    }
    tally.truncated ||= hasMore;
    earlier.push(hasTag(tag, true));
  }
  const contexts = await scanContexts(ctx, scope, spec.contexts, earlier);
  for (const [issueId, values] of contexts.counts) {
    for (const [value, count] of values) add(tally, issueId, value, count);
    for (const source of contexts.sources.get(issueId) ?? [])
      tally.perIssue.get(issueId)?.sources.add(source);
  }
  tally.truncated ||= contexts.truncated;
  return tally;
}

export function toBreakdown(
  values: Map<string, number>,
  sources: Set<string>,
  truncated: boolean,
): Breakdown {
  const sorted = [...values]
    .map(([value, count]) => ({ value, count }))
    .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
  return {
    values: sorted.slice(0, TOP_VALUES),
    distinct: sorted.length,
    events: sorted.reduce((sum, v) => sum + v.count, 0),
    sources: [...sources].sort(),
    truncated,
  };
}

/** Per linked issue and in total, each dimension's top values over the recent 75 minutes. */
export async function affectedBreakdowns(
  ctx: AppContext,
  scope: TriageScope,
): Promise<{ perIssue: Map<number, Breakdowns>; total: Breakdowns }> {
  const names = Object.keys(DIMENSIONS) as DimensionName[];
  const presentTags =
    scope.linked.length === 0
      ? new Set<string>()
      : new Set(
          (
            await ctx.store.events.tagKeys({
              orgId: scope.org.id,
              projectIds: scope.projectIds,
              since: scope.periods.recent.start,
            })
          ).map((k) => k.key),
        );
  const tallies = new Map<DimensionName, Tally>();
  for (const name of names)
    tallies.set(name, await tallyDimension(ctx, scope, DIMENSIONS[name], presentTags));
  const perIssue = new Map<number, Breakdowns>();
  const totals = new Map<DimensionName, IssueTally>();
  for (const { issue } of scope.linked) {
    const breakdowns = {} as Breakdowns;
    for (const name of names) {
      const tally = tallies.get(name)!;
      const found = tally.perIssue.get(issue.id) ?? { values: new Map(), sources: new Set() };
      breakdowns[name] = toBreakdown(found.values, found.sources, tally.truncated);
      const total = totals.get(name) ?? { values: new Map<string, number>(), sources: new Set<string>() };
      for (const [value, count] of found.values)
        total.values.set(value, (total.values.get(value) ?? 0) + count);
      for (const source of found.sources) total.sources.add(source);
      totals.set(name, total);
    }
    perIssue.set(issue.id, breakdowns);
  }
  const total = {} as Breakdowns;
  for (const name of names) {
    const found = totals.get(name) ?? { values: new Map(), sources: new Set() };
    total[name] = toBreakdown(found.values, found.sources, tallies.get(name)!.truncated);
  }
  return { perIssue, total };
}
