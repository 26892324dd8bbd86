import { invalid } from '../app-error.ts';
import { clip } from '../validation.ts';

/**
 * Sentry's search syntax (reference/sentry-protocol.md §5.5), tokenised. Consumers (issue search,
 * Discover) decide which keys they understand and name the token they refuse.
 *
 *   key:value   key:"quoted value"   !key:value   key:[a, "b c"]   key:>10   key:<=2024-01-01
 *   has:key     !has:key             tags[some key]:value           free text   "quoted free text"
 *   flags[name]:true                 (a feature flag the SDK evaluated before the event)
 */
export type SearchOperator = '=' | '!=' | '>' | '>=' | '<' | '<=';

export type SearchTerm =
  | { kind: 'filter'; key: string; op: SearchOperator; values: string[]; raw: string }
  | { kind: 'text'; value: string; raw: string };

const MAX_QUERY_LENGTH = 2000;
const MAX_TERMS = 50;
/** Each list value may cost the consumer a lookup (a member, a team, an issue). */
const MAX_LIST_VALUES = 100;
const KEY = /^(!?)((?:tags\[[^\]]{1,200}\])|(?:flags\[[^\]]{1,200}\])|[A-Za-z_][\w.:-]{0,199}?):/;

export function parseSearchQuery(query: string): SearchTerm[] {
  if (query.length > MAX_QUERY_LENGTH)
    throw invalid(`search query is longer than ${MAX_QUERY_LENGTH} characters`);
  const terms: SearchTerm[] = [];
  let pos = 0;
  while (pos < query.length) {
    while (pos < query.length && /\s/.test(query[pos])) pos++;
    if (pos >= query.length) break;
    const [term, end] = readTerm(query, pos);
    terms.push(term);
    pos = end;
    if (terms.length > MAX_TERMS) throw invalid(`search query has more than ${MAX_TERMS} terms`);
  }
  return terms;
}

function readTerm(query: string, start: number): [SearchTerm, number] {
  const rest = query.slice(start);
  const key = KEY.exec(rest);
  if (!key) {
    const [value, end] = readValue(query, start);
    return [{ kind: 'text', value, raw: query.slice(start, end) }, end];
  }
  const negated = key[1] === '!';
  // `tags[key]` names a tag; `flags[name]` (or `flags["name"]`) a feature flag's evaluated value,
  // stored as the tag `flags[name]` (src/digest/normalize.ts).
  const name = key[2].startsWith('tags[')
    ? key[2].slice(5, -1)
    : key[2].startsWith('flags[')
      ? `flags[${key[2].slice(6, -1).replace(/^"(.*)"$/, '$1')}]`
      : key[2];
  let pos = start + key[0].length;
  let op: SearchOperator = negated ? '!=' : '=';
  const comparison = /^(>=|<=|>|<)/.exec(query.slice(pos));
  if (comparison) {
    if (negated)
      throw invalid(
        `invalid search token "${clip(query.slice(start, pos + 2))}": cannot negate a comparison`,
      );
    op = comparison[1] as SearchOperator;
    pos += comparison[1].length;
  }
  let values: string[];
  if (query[pos] === '[') {
    [values, pos] = readList(query, pos, start);
  } else {
    let value: string;
    [value, pos] = readValue(query, pos, start);
    values = [value];
  }
  const raw = query.slice(start, pos);
  if (values.some((v) => v === '')) throw invalid(`invalid search token "${clip(raw)}": missing value`);
  return [{ kind: 'filter', key: name, op, values, raw }, pos];
}

/** A bare value runs to the next whitespace; a quoted one to the closing quote (\" escapes). */
function readValue(query: string, start: number, termStart = start): [string, number] {
  if (query[start] !== '"') {
    let end = start;
    while (end < query.length && !/\s/.test(query[end])) end++;
    return [query.slice(start, end), end];
  }
  return readQuoted(query, start, termStart);
}

/**
 * A quoted value from the `"` at `start`: only `\"` is an escape, as in Sentry's grammar, so a
 * Windows path (`"C:\temp"`) keeps its backslashes.
 */
function readQuoted(query: string, start: number, termStart: number): [string, number] {
  let value = '';
  for (let pos = start + 1; pos < query.length; pos++) {
    const c = query[pos];
    if (c === '\\' && query[pos + 1] === '"') {
      value += '"';
      pos++;
    } else if (c === '"') {
      return [value, pos + 1];
    } else {
      value += c;
    }
  }
  throw invalid(`invalid search token "${clip(query.slice(termStart))}": unterminated quote`);
}

/** `[a, "b, c", "d]e"]`: commas and `]` inside quotes are part of the value. */
function readList(query: string, open: number, termStart: number): [string[], number] {
  const values: string[] = [];
  let pos = open + 1;
  for (;;) {
    while (query[pos] === ' ') pos++;
    let value: string;
    if (query[pos] === '"') {
      [value, pos] = readQuoted(query, pos, termStart);
      while (query[pos] === ' ') pos++;
    } else {
      let end = pos;
      while (end < query.length && query[end] !== ',' && query[end] !== ']') end++;
      value = query.slice(pos, end).trim();
      pos = end;
    }
    if (pos >= query.length)
      throw invalid(`invalid search token "${clip(query.slice(termStart))}": unterminated list`);
    if (query[pos] !== ',' && query[pos] !== ']') {
      throw invalid(
        `invalid search token "${clip(query.slice(termStart, pos + 1))}": expected , or ] after a quoted value`,
      );
    }
    values.push(value);
    if (values.length > MAX_LIST_VALUES) {
      throw invalid(
        `invalid search token "${clip(query.slice(termStart, pos + 1))}": more than ${MAX_LIST_VALUES} values in a list`,
      );
    }
    if (query[pos++] === ']') return [values, pos];
  }
}
