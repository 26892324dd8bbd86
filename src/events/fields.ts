import { invalid } from '../app-error.ts';
import { type EventAggregate, type EventSelect, isNumericAttribute } from '../store/types-events.ts';
import { clip } from '../validation.ts';
import { resolveAttribute } from './attributes.ts';

/** Sentry's Discover `meta.fields` types for what Firebreak answers. */
export type FieldType = 'string' | 'integer' | 'number' | 'date';

export interface DiscoverField {
  /** As requested; the row key. */
  name: string;
  select: EventSelect;
  type: FieldType;
  /** eps()/epm(): the count divided by the window in seconds or minutes. */
  rate?: 'second' | 'minute';
}

const FUNCTION = /^([a-z_0-9]+)\((.*)\)$/;

export function isAggregateName(name: string): boolean {
  return FUNCTION.test(name);
}

/** A Discover `field` value: an event attribute or one of the supported aggregate functions. */
export function parseField(name: string): DiscoverField {
  const fn = FUNCTION.exec(name);
  if (!fn) {
    const attr = resolveAttribute(name);
    const type: FieldType =
      'column' in attr && attr.column === 'timestamp'
        ? 'date'
        : isNumericAttribute(attr)
          ? 'integer'
          : 'string';
    return { name, select: { attr }, type };
  }
  const aggregate = parseAggregate(fn[1], fn[2].trim(), name);
  const rate = fn[1] === 'eps' ? 'second' : fn[1] === 'epm' ? 'minute' : undefined;
  const type: FieldType = rate
    ? 'number'
    : aggregate.fn === 'min' || aggregate.fn === 'max'
      ? 'date'
      : 'integer';
  return { name, select: { aggregate }, type, ...(rate ? { rate } : {}) };
}

function parseAggregate(fn: string, arg: string, name: string): EventAggregate {
  switch (fn) {
    case 'count':
    case 'eps':
    case 'epm':
      // Sentry's count(x) counts events whatever x is; eps/epm take an optional interval.
      return { fn: 'count' };
    case 'count_unique':
      if (!arg) throw invalid(`count_unique needs a field: "${clip(name)}"`);
      return { fn: 'count_unique', attr: resolveAttribute(arg) };
    case 'last_seen':
      if (arg) throw invalid(`last_seen takes no argument: "${clip(name)}"`);
      return { fn: 'max', attr: { column: 'timestamp' } };
    case 'min':
    case 'max':
      if (arg !== 'timestamp') throw invalid(`${fn} is supported on timestamp only: "${clip(name)}"`);
      return { fn, attr: { column: 'timestamp' } };
    default:
      throw invalid(`function "${clip(name)}" is not supported by Firebreak`);
  }
}

/** Sentry's row value for a field: dates as RFC 3339 `Z`, rates as events per second/minute. */
export function formatCell(field: DiscoverField, value: string | number | null, windowMs: number | null) {
  if (value === null) return null;
  if (field.type === 'date') return new Date(Number(value)).toISOString();
  if (field.rate) {
    if (!windowMs) return null;
    return Number(value) / (windowMs / (field.rate === 'second' ? 1000 : 60_000));
  }
  return value;
}
