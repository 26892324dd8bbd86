import { AppError } from '../app-error.ts';
import { type Principal, requireScope } from '../auth/principal.ts';
import type { AppContext } from '../context.ts';
import { resolveOrg } from '../orgs/resolve.ts';
import { parseSearchQuery } from '../search/parse.ts';
import type { Org, Project } from '../store/types.ts';
import { parseInput } from '../validation.ts';
import { resolveAttribute } from './attributes.ts';
import { parseOffsetCursor } from './cursors.ts';
import { type DatasetKind, datasetKind, guessFieldType } from './datasets.ts';
import { DEFAULT_PERIOD, planQuery, planSort } from './discover-plan.ts';
import { type DiscoverField, type FieldType, isAggregateName, parseField } from './fields.ts';
import { selectProjects } from './projects.ts';
import { DiscoverInput } from './schemas.ts';
import { parseTimeRange } from './time-range.ts';

type AttrType = 'string' | 'number' | 'boolean' | null;
interface Check {
  valid: boolean;
  error: string | null;
}
interface NamedCheck extends Check {
  name: string;
}
interface AttrCheck extends NamedCheck {
  attrType: AttrType;
}

export interface ValidationResult {
  valid: boolean;
  projects: Check[];
  dataset: NamedCheck[];
  environment: Check[];
  field: AttrCheck[];
  query: Check & { fields: AttrCheck[] };
  orderby: AttrCheck[];
}

/**
 * `GET /organizations/{org}/events/validate/`: checks a Discover request part by part without
 * running it, in the shape the Sentry MCP server's search_events reads before it searches.
 */
export async function validateDiscover(
  ctx: AppContext,
  principal: Principal,
  input: unknown,
): Promise<ValidationResult> {
  requireScope(principal, 'event:read', 'event:write', 'event:admin');
  const parsed = parseInput(DiscoverInput, input);
  const org = await resolveOrg(ctx, principal, parsed.org);
  // The window and the cursor are refused here as the search itself refuses them (400), so what
  // validates also runs: the MCP server validates before it searches.
  parseTimeRange(parsed, ctx.clock.now(), DEFAULT_PERIOD);
  parseOffsetCursor(parsed.cursor);
  const dataset = parsed.dataset ?? 'discover';
  const kind = attempt(() => datasetKind(parsed.dataset));
  const projects = await attemptAsync(() => selectProjects(ctx, org, parsed.project));
  const names = [...new Set(parsed.field)];
  const fields = names.map((name) => checkField(name, kind.value ?? 'empty'));
  const parsedFields = fields.flatMap((f) => (f.field ? [f.field] : []));
  const result: ValidationResult = {
    valid: false,
    projects: parsed.project.length > 0 ? [check(projects)] : [],
    dataset: [{ name: dataset, ...check(kind) }],
    environment: await checkEnvironments(ctx, parsed.environment, projects.value?.selected ?? []),
    field: fields.map((f) => f.check),
    query: await checkQuery(ctx, org, parsed, kind.value, projects.value, parsedFields),
    orderby: [...parsed.orderby, ...parsed.sort].map((name) => {
      const sort = attempt(() => planSort(name, names));
      const field = fields[sort.value?.index ?? -1];
      return { name, attrType: field?.check.attrType ?? null, ...check(sort) };
    }),
  };
  result.valid = [
    ...result.projects,
    ...result.dataset,
    ...result.environment,
    ...result.field,
    result.query,
    ...result.orderby,
  ].every((c) => c.valid);
  return result;
}

function checkField(name: string, kind: DatasetKind): { check: AttrCheck; field?: DiscoverField } {
  if (kind === 'empty')
    return { check: { name, attrType: attrTypeOf(guessFieldType(name)), valid: true, error: null } };
  const parsed = attempt(() => parseField(name));
  const attrType = parsed.value ? attrTypeOf(parsed.value.type) : null;
  return { check: { name, attrType, ...check(parsed) }, field: parsed.value };
}

async function checkQuery(
  ctx: AppContext,
  org: Org,
  input: DiscoverInput,
  kind: DatasetKind | undefined,
  projects: { all: Project[]; selected: Project[] } | undefined,
  fields: DiscoverField[],
): Promise<Check & { fields: AttrCheck[] }> {
  const terms = attempt(() => parseSearchQuery(input.query));
  if (!terms.value) return { ...check(terms), fields: [] };
  const keys = terms.value.flatMap((t) =>
    t.kind !== 'filter' || t.key === 'is' ? [] : t.key === 'has' ? t.values : [t.key],
  );
  const keyChecks: AttrCheck[] = keys.map((name) => {
    if (kind !== 'errors')
      return { name, attrType: attrTypeOf(guessFieldType(name)), valid: true, error: null };
    const found = attempt(() => keyType(name));
    return { name, attrType: found.value ?? null, ...check(found) };
  });
  if (kind !== 'errors' || !projects) return { valid: true, error: null, fields: keyChecks };
  const aggregated = fields.some((f) => 'aggregate' in f.select);
  const mapped = await attemptAsync(() => planQuery(ctx, org, input, projects, aggregated));
  return { ...check(mapped), fields: keyChecks };
}

async function checkEnvironments(
  ctx: AppContext,
  environments: string[],
  projects: Project[],
): Promise<Check[]> {
  if (environments.length === 0) return [];
  const known = new Set<string>();
  for (const project of projects)
    for (const name of await ctx.store.environments.listByProject(project.id)) known.add(name);
  const unknown = environments.filter((e) => !known.has(e));
  return [
    { valid: unknown.length === 0, error: unknown.length > 0 ? 'Unknown environments selected' : null },
  ];
}

/** Search keys that are not fields. */
const QUERY_ONLY_KEYS: Record<string, AttrType> = {
  'error.handled': 'boolean',
  'error.unhandled': 'boolean',
  'event.timestamp': 'string',
};

function keyType(name: string): AttrType {
  if (QUERY_ONLY_KEYS[name]) return QUERY_ONLY_KEYS[name];
  if (isAggregateName(name)) return attrTypeOf(parseField(name).type);
  // A search key may be a tag the field syntax would refuse (`tags[a b]`).
  const attr = resolveAttribute(name);
  return attrTypeOf(parseField('tag' in attr ? `tags[${attr.tag}]` : name).type);
}

const attrTypeOf = (type: FieldType): AttrType =>
  type === 'integer' || type === 'number' ? 'number' : 'string';

interface Attempt<T> {
  value?: T;
  error: string | null;
}

function attempt<T>(fn: () => T): Attempt<T> {
  try {
    return { value: fn(), error: null };
  } catch (error) {
    if (error instanceof AppError && error.code !== 'INTERNAL') return { error: error.message };
    throw error;
  }
}

async function attemptAsync<T>(fn: () => Promise<T>): Promise<Attempt<T>> {
  try {
    return { value: await fn(), error: null };
  } catch (error) {
    if (error instanceof AppError && error.code !== 'INTERNAL') return { error: error.message };
    throw error;
  }
}

const check = (a: Attempt<unknown>): Check => ({ valid: a.error === null, error: a.error });
