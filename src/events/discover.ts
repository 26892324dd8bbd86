import { type Principal, requireScope } from '../auth/principal.ts';
import type { AppContext } from '../context.ts';
import { resolveOrg } from '../orgs/resolve.ts';
import { parseSearchQuery } from '../search/parse.ts';
import { parseInput } from '../validation.ts';
import { offsetCursor, parseOffsetCursor } from './cursors.ts';
import { datasetKind, guessFieldType } from './datasets.ts';
import { planDiscover } from './discover-plan.ts';
import { type FieldType, formatCell } from './fields.ts';
import { selectProjects } from './projects.ts';
import { DiscoverInput } from './schemas.ts';

export interface DiscoverMeta {
  fields: Record<string, FieldType>;
  units: Record<string, string | null>;
  isMetricsData: false;
  isMetricsExtractedData: false;
  tips: Record<string, never>;
  datasetReason: 'unchanged';
  dataset: string;
}

export interface DiscoverResult {
  data: Record<string, unknown>[];
  meta: DiscoverMeta;
  nextCursor: string | null;
}

/** `GET /organizations/{org}/events/`: Sentry's Discover table, `{data, meta}`. */
export async function discoverEvents(
  ctx: AppContext,
  principal: Principal,
  input: unknown,
): Promise<DiscoverResult> {
  requireScope(principal, 'event:read', 'event:write', 'event:admin');
  const parsed = parseInput(DiscoverInput, input);
  const org = await resolveOrg(ctx, principal, parsed.org);
  const dataset = parsed.dataset ?? 'discover';
  const projects = await selectProjects(ctx, org, parsed.project);
  if (datasetKind(parsed.dataset) === 'empty') {
    parseSearchQuery(parsed.query);
    const names = [...new Set(parsed.field)];
    const types = Object.fromEntries(names.map((n) => [n, guessFieldType(n)]));
    return { data: [], meta: meta(dataset, types, names), nextCursor: null };
  }
  const plan = await planDiscover(ctx, org, parsed, projects);
  plan.query.offset = parseOffsetCursor(parsed.cursor);
  const page = await ctx.store.events.discover(plan.query);
  const data = page.rows.map((row) =>
    Object.fromEntries(plan.fields.map((f, i) => [f.name, formatCell(f, row[i], plan.windowMs)])),
  );
  const types = Object.fromEntries(plan.fields.map((f) => [f.name, f.type]));
  return {
    data,
    meta: meta(
      dataset,
      types,
      plan.fields.map((f) => f.name),
      plan.fields,
    ),
    nextCursor: page.hasMore ? offsetCursor(plan.query.offset + plan.query.limit) : null,
  };
}

function meta(
  dataset: string,
  fields: Record<string, FieldType>,
  names: string[],
  parsed: { name: string; rate?: string }[] = [],
): DiscoverMeta {
  const rate = new Map(parsed.map((f) => [f.name, f.rate]));
  return {
    fields,
    units: Object.fromEntries(names.map((n) => [n, rate.get(n) ? `1/${rate.get(n)}` : null])),
    isMetricsData: false,
    isMetricsExtractedData: false,
    tips: {},
    datasetReason: 'unchanged',
    dataset,
  };
}
