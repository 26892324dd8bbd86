import { parseTimeValue } from '../events/time-range.ts';
import type { CompareOp, IssueCondition } from '../store/types-issues.ts';
import { badToken, type FilterTerm } from './search-keys.ts';

const DAY = 86_400_000;

/**
 * `firstSeen:` / `lastSeen:`. Without an operator a relative value is a bound (`-24h` newer than
 * a day ago, `+24h` older) and a date is that whole day (a datetime, that second). With an
 * operator the value is the boundary itself: `lastSeen:>2024-01-31`, `lastSeen:>-1h`.
 */
export function timeCondition(
  field: 'firstSeen' | 'lastSeen',
  term: FilterTerm,
  now: number,
): IssueCondition {
  if (term.values.length !== 1) throw badToken(term, 'takes one value');
  const time = parseTimeValue(term.values[0], now);
  if (!time) throw badToken(term, 'expected a relative time like -24h or a date like 2024-01-31');
  if (term.op !== '=' && term.op !== '!=') return { field, op: term.op, value: time.at };
  if (time.relative) return { field, op: time.relative === 'newer' ? '>=' : '<=', value: time.at };
  const span = term.values[0].length === 10 ? DAY : 1000;
  return {
    field: 'all',
    conditions: [
      { field, op: '>=', value: time.at },
      { field, op: '<', value: time.at + span },
    ],
  };
}

/** `times_seen:10`, `times_seen:>=10`. */
export function numberCondition(field: 'timesSeen', term: FilterTerm): IssueCondition {
  if (term.values.length !== 1 || !/^\d{1,15}$/.test(term.values[0]))
    throw badToken(term, 'expected a whole number');
  const op: CompareOp = term.op === '!=' ? '=' : term.op;
  return { field, op, value: Number(term.values[0]) };
}
