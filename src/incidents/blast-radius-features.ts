import type { AppContext } from '../context.ts';
import type { EventAttribute } from '../store/types-events.ts';
import { linkedEvents, type TriageScope } from './triage-scope.ts';

/**
 * Features, for the blast radius: the org's component tag if configured, else transactions, else
 * URL paths, else projects. A dimension is used only when at least DIMENSION_MIN_COVERAGE of the
 * recent events carry it (a value few events have cannot describe the spread); projects always
 * can. With events from more than one project, features are per project (`web:checkout` and
 * `api:checkout` are two), and a project whose events name no feature counts as one by itself.
 */
export type FeatureDimension = 'component' | 'transaction' | 'url' | 'project';

/** Share of the recent events a dimension must cover to be used. */
export const DIMENSION_MIN_COVERAGE = 0.5;
/** Noise rule: a feature (or project) with a smaller share of the recent events does not count. */
export const FEATURE_MIN_SHARE = 0.05;
const MAX_ROWS = 1000;
const MAX_LISTED = 10;

export interface FeatureRow {
  projectId: number;
  /** null: the event has no value in this dimension. */
  value: string | null;
  count: number;
}

export interface NamedCount {
  name: string;
  count: number;
}

export interface Features {
  dimension: FeatureDimension;
  /** The configured component tag, when the dimension is `component`. */
  componentTag: string | null;
  /** Recent events the shares are taken of. */
  events: number;
  /** Features at or over FEATURE_MIN_SHARE, most events first: these are counted. */
  names: NamedCount[];
  /** The largest features under the share (noise), at most ten. */
  ignored: NamedCount[];
  /** Distinct features seen, noise included. */
  distinct: number;
}

const byCount = (a: NamedCount, b: NamedCount) =>
  b.count - a.count || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** Identifier-like path segments (numbers, UUIDs, long hex) collapse to `*`: `/orders/81` ~ `/orders/93`. */
const ID_SEGMENT = /^(?:\d+|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{16,})$/i;

/** A URL's path with identifier segments collapsed; no scheme, host, query or fragment. */
export function urlFeature(url: string): string {
  let path = url;
  try {
    path = new URL(url).pathname;
  } catch {
    path = url.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, '').split(/[?#]/, 1)[0];
  }
  const segments = path.split('/').map((s) => (ID_SEGMENT.test(s) ? '*' : s));
  const joined = segments.join('/');
  return joined.startsWith('/') ? joined : `/${joined}`;
}

/** Counted and ignored features from (project, value) rows; `slugOf` names projects. */
export function summarizeFeatures(
  rows: FeatureRow[],
  dimension: FeatureDimension,
  componentTag: string | null,
  slugOf: (projectId: number) => string,
): Features {
  const events = rows.reduce((sum, r) => sum + r.count, 0);
  const significant = (count: number) => events > 0 && count / events >= FEATURE_MIN_SHARE;
  const perProject = new Map<number, number>();
  for (const row of rows) perProject.set(row.projectId, (perProject.get(row.projectId) ?? 0) + row.count);
  const projects = [...perProject].filter(([, count]) => significant(count)).map(([id]) => id);
  const qualify = projects.length > 1;
  const features = new Map<string, { count: number; projectId: number }>();
  for (const row of rows) {
    if (dimension !== 'project' && row.value === null) continue;
    const value = dimension === 'url' && row.value !== null ? urlFeature(row.value) : row.value;
    const name =
      dimension === 'project'
        ? slugOf(row.projectId)
        : qualify
          ? `${slugOf(row.projectId)}:${value}`
          : `${value}`;
    const feature = features.get(name) ?? { count: 0, projectId: row.projectId };
    feature.count += row.count;
    features.set(name, feature);
  }
  const all = [...features].map(([name, f]) => ({ name, count: f.count, projectId: f.projectId }));
  const counted = all.filter((f) => significant(f.count));
  for (const projectId of projects) {
    if (!counted.some((f) => f.projectId === projectId)) {
      counted.push({ name: slugOf(projectId), count: perProject.get(projectId) ?? 0, projectId });
    }
  }
  const strip = ({ name, count }: NamedCount) => ({ name, count });
  return {
    dimension,
    componentTag: dimension === 'component' ? componentTag : null,
    events,
    names: counted.map(strip).sort(byCount),
    ignored: all
      .filter((f) => !significant(f.count))
      .map(strip)
      .sort(byCount)
      .slice(0, MAX_LISTED),
    distinct: all.length,
  };
}

async function featureRows(ctx: AppContext, scope: TriageScope, attr: EventAttribute): Promise<FeatureRow[]> {
  const { rows } = await ctx.store.events.discover({
    ...linkedEvents(scope, scope.periods.recent),
    select: [{ attr: { column: 'project.id' } }, { attr }, { aggregate: { fn: 'count' } }],
    having: [],
    orderBy: [{ index: 2, desc: true }],
    limit: MAX_ROWS,
    offset: 0,
  });
  return rows.map(([projectId, value, count]) => ({
    projectId: Number(projectId),
    value: value === null || value === '' ? null : String(value),
    count: Number(count),
  }));
}

/** The recent events' features, in the first dimension that covers enough of them. */
export async function recentFeatures(
  ctx: AppContext,
  scope: TriageScope,
  componentTag: string | null,
): Promise<Features> {
  const slugOf = (id: number) => scope.orgProjects.get(id)?.slug ?? String(id);
  const candidates: [FeatureDimension, EventAttribute][] = [
    ...(componentTag ? [['component', { tag: componentTag }] as [FeatureDimension, EventAttribute]] : []),
    ['transaction', { column: 'transaction' }],
    ['url', { tag: 'url' }],
  ];
  let projectRows: FeatureRow[] = [];
  if (scope.linked.length > 0) {
    for (const [dimension, attr] of candidates) {
      const rows = await featureRows(ctx, scope, attr);
      const events = rows.reduce((sum, r) => sum + r.count, 0);
      const covered = rows.reduce((sum, r) => sum + (r.value === null ? 0 : r.count), 0);
      if (events > 0 && covered / events >= DIMENSION_MIN_COVERAGE) {
        return summarizeFeatures(rows, dimension, componentTag, slugOf);
      }
      projectRows = rows.map((r) => ({ ...r, value: null }));
    }
  }
  return summarizeFeatures(projectRows, 'project', componentTag, slugOf);
}
