import { AppError, invalid } from '../app-error.ts';
import { normalizeEventId } from '../ingest/envelope.ts';
import { parseSearchQuery, type SearchTerm } from '../search/parse.ts';
import type { Project } from '../store/types.ts';
import {
  type AggregateFilter,
  type EventAttribute,
  type EventFilter,
  isNumericAttribute,
} from '../store/types-events.ts';
import { clip } from '../validation.ts';
import { resolveAttribute } from './attributes.ts';
import { type DiscoverField, isAggregateName, parseField } from './fields.ts';
import { parseTimeValue } from './time-range.ts';

/** What mapping a query needs to look up; supplied by the verb. */
export interface QueryContext {
  now: number;
  /** The organisation's projects (for `project:slug`). */
  projects: Project[];
  /** Issue id for a short id (`WEB-12`) or numeric id within the organisation, or null. */
  resolveIssue(idOrShortId: string): Promise<number | null>;
  /** For `release:latest`: the latest release of each searched project. */
  latestReleases(): Promise<string[]>;
  /** Discover with aggregate fields accepts `count():>10` (HAVING); event lists do not. */
  allowAggregates: boolean;
}

export interface EventQuery {
  filters: EventFilter[];
  having: AggregateFilter[];
}

const STATUSES: Record<string, string> = {
  unresolved: 'unresolved',
  resolved: 'resolved',
  ignored: 'ignored',
  archived: 'ignored',
  muted: 'ignored',
};

/** Sentry's event search syntax → store filters. Errors name the offending token. */
export async function parseEventQuery(query: string, ctx: QueryContext): Promise<EventQuery> {
  const out: EventQuery = { filters: [], having: [] };
  const text: string[] = [];
  for (const parsed of parseSearchQuery(query)) {
    const term = parsed.kind === 'text' ? (aggregateTerm(parsed) ?? parsed) : parsed;
    if (term.kind === 'text') {
      text.push(term.value);
      continue;
    }
    try {
      await mapTerm(term, ctx, out);
    } catch (error) {
      // Only the term's own faults name it; anything else (the database) is not the caller's.
      const refused = error instanceof BadTerm || (error instanceof AppError && error.code === 'VALIDATION');
      if (!refused) throw error;
      throw invalid(`invalid search token "${clip(term.raw)}": ${error.message}`);
    }
  }
  // Sentry joins the free text into one phrase matched against the message.
  if (text.length > 0) out.filters.push({ kind: 'text', value: text.join(' '), negated: false });
  return out;
}

type Filter = Extract<SearchTerm, { kind: 'filter' }>;

const AGGREGATE_TERM = /^([a-z_0-9]+\([^)]*\)):(>=|<=|>|<)?(.+)$/;

/** The shared tokenizer reads `count():>10` as free text (its keys have no parentheses). */
function aggregateTerm(term: Extract<SearchTerm, { kind: 'text' }>): Filter | null {
  if (term.value.startsWith('!') && AGGREGATE_TERM.test(term.value.slice(1))) {
    // Read as text it matched nothing, silently; Sentry has no negated aggregate filter either.
    throw invalid(
      `invalid search token "${clip(term.raw)}": an aggregate filter cannot be negated; compare the other way (count():<=10)`,
    );
  }
  const match = AGGREGATE_TERM.exec(term.value);
  if (!match) return null;
  return {
    kind: 'filter',
    key: match[1],
    op: (match[2] ?? '=') as Filter['op'],
    values: [match[3]],
    raw: term.raw,
  };
}

async function mapTerm(term: Filter, ctx: QueryContext, out: EventQuery): Promise<void> {
  const negated = term.op === '!=';
  const equality = term.op === '=' || term.op === '!=';
  if (term.key === 'has') {
    for (const name of term.values) out.filters.push({ kind: 'has', attr: resolveAttribute(name), negated });
    return;
  }
  if (term.key === 'is') {
    const statuses = term.values.map((v) => STATUSES[v] ?? fail(`unknown status "${clip(v)}"`));
    if (!equality) fail('is: takes no comparison');
    out.filters.push({ kind: 'issue-status', statuses, negated });
    return;
  }
  if (isAggregateName(term.key)) return mapAggregate(term, parseField(term.key), ctx, out);
  if (term.key === 'message') {
    if (!equality || term.values.length !== 1) fail('message takes one value');
    out.filters.push({ kind: 'text', value: term.values[0], negated });
    return;
  }
  if (term.key === 'timestamp' || term.key === 'event.timestamp') return mapTime(term, ctx, out);
  if (term.key === 'error.handled' || term.key === 'error.unhandled') {
    const truthy = ['true', '1'].includes(term.values[0])
      ? true
      : ['false', '0'].includes(term.values[0])
        ? false
        : fail('use true or false');
    if (!equality || term.values.length !== 1) fail('takes one value');
    // Sentry counts an exception without a mechanism's `handled` flag (no `handled` tag) as handled.
    const unhandled = term.key === 'error.handled' ? !truthy : truthy;
    out.filters.push({
      kind: 'in',
      attr: { tag: 'handled' },
      negated: unhandled === negated,
      values: ['no'],
    });
    return;
  }
  const explicitTag = /^!?tags\[/.test(term.raw);
  const attr = resolveAttribute(term.key, explicitTag);
  out.filters.push(...(await mapValues(term, attr, ctx)));
}

async function mapValues(term: Filter, attr: EventAttribute, ctx: QueryContext): Promise<EventFilter[]> {
  const negated = term.op === '!=';
  if ('column' in attr && attr.column === 'project') {
    const ids = term.values.map(
      (slug) => ctx.projects.find((p) => p.slug === slug)?.id ?? fail(`unknown project "${clip(slug)}"`),
    );
    return [{ kind: 'in', attr: { column: 'project.id' }, negated, values: ids }];
  }
  if ('column' in attr && attr.column === 'issue') {
    // An unknown short id matches no event (-1 is never an issue id).
    const ids = await Promise.all(term.values.map(async (v) => (await ctx.resolveIssue(v)) ?? -1));
    return [{ kind: 'in', attr: { column: 'issue.id' }, negated, values: ids }];
  }
  if (isNumericAttribute(attr)) {
    const numbers = term.values.map((v) =>
      /^\d{1,15}$/.test(v) ? Number(v) : fail(`"${clip(v)}" is not a number`),
    );
    if (term.op === '=' || term.op === '!=') return [{ kind: 'in', attr, negated, values: numbers }];
    return [{ kind: 'compare', attr, op: term.op, value: numbers[0] }];
  }
  if (term.op !== '=' && term.op !== '!=') fail('comparisons work on numbers and dates only');
  let values = term.values;
  if ('column' in attr && attr.column === 'id') values = values.map((v) => normalizeEventId(v) ?? v);
  if ('column' in attr && attr.column === 'release' && values.includes('latest'))
    values = [...values.filter((v) => v !== 'latest'), ...(await ctx.latestReleases())];
  const globs = values.filter((v) => v.includes('*'));
  if (globs.length === 0) return [{ kind: 'in', attr, negated, values }];
  if (values.length > 1) fail('wildcards are not supported inside a list');
  return [{ kind: 'like', attr, negated, pattern: values[0] }];
}

function mapTime(term: Filter, ctx: QueryContext, out: EventQuery): void {
  if (term.values.length !== 1) fail('takes one value');
  const time = parseTimeValue(term.values[0], ctx.now) ?? fail('use a date or a relative time like -24h');
  const attr = { column: 'timestamp' } as const;
  if (term.op === '!=') fail('cannot negate a time');
  if (term.op !== '=') {
    out.filters.push({ kind: 'compare', attr, op: term.op, value: time.at });
  } else if (time.relative) {
    out.filters.push({ kind: 'compare', attr, op: time.relative === 'newer' ? '>=' : '<', value: time.at });
  } else {
    // A value means all of the time it names: a bare date that whole (UTC) day, a datetime to
    // the minute or second that minute or second, with milliseconds that millisecond.
    const span = precisionOf(term.values[0]);
    out.filters.push({ kind: 'compare', attr, op: '>=', value: time.at });
    out.filters.push({ kind: 'compare', attr, op: '<', value: time.at + span });
  }
}

/** How long a time written as `value` lasts: its last written unit. */
function precisionOf(value: string): number {
  const time = /[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?/.exec(value);
  if (!time) return 86_400_000;
  if (!time[1]) return 60_000;
  if (!time[2]) return 1_000;
  return 1;
}

function mapAggregate(term: Filter, field: DiscoverField, ctx: QueryContext, out: EventQuery): void {
  if (!ctx.allowAggregates) fail('aggregate filters need an aggregate field');
  if (!('aggregate' in field.select)) fail('not an aggregate');
  if (term.values.length !== 1) fail('takes one value');
  let value: number;
  if (field.type === 'date') {
    const time = parseTimeValue(term.values[0], ctx.now) ?? fail('use a date or a relative time like -24h');
    value = time.at;
  } else {
    value = Number(term.values[0]);
    if (!Number.isFinite(value)) fail(`"${clip(term.values[0])}" is not a number`);
  }
  if (field.rate) fail('filters on eps()/epm() are not supported');
  out.having.push({ aggregate: field.select.aggregate, op: term.op, value });
}

/** Why a term cannot be answered; parseEventQuery names the term. */
class BadTerm extends Error {}

function fail(message: string): never {
  throw new BadTerm(message);
}
