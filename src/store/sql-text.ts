/** Text handling shared by both backends' SQL. */

/** LIKE's own wildcards (and its escape, backslash) in `text` made literal; use with ESCAPE '\'. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** `*` is Sentry's wildcard; LIKE's own wildcards in the value are literal. */
export function likePattern(glob: string): string {
  return escapeLike(glob).replaceAll('*', '%');
}

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;

/**
 * An issue of `issues i` has an event in [start, end): a stored event there, or a time bucket
 * lying wholly inside the window (buckets outlive the events retention prunes; one only partly
 * inside proves nothing). First and last seen alone cannot tell: an issue seen before and after
 * a window need not have been seen in it. `bind` adds a parameter and returns its placeholder.
 */
export function seenBetweenSql(start: number, end: number, bind: (value: number) => string): string {
  const minuteFrom = Math.ceil(start / MINUTE_MS) * MINUTE_MS;
  const hourFrom = Math.ceil(start / HOUR_MS) * HOUR_MS;
  return `EXISTS (SELECT 1 FROM events e WHERE e.issue_id = i.id AND e.timestamp >= ${bind(start)}
      AND e.timestamp < ${bind(end)})
    OR EXISTS (SELECT 1 FROM issue_buckets_minute m WHERE m.issue_id = i.id AND m.start >= ${bind(minuteFrom)}
      AND m.start <= ${bind(end - MINUTE_MS)} AND m.count > 0)
    OR EXISTS (SELECT 1 FROM issue_buckets_hour h WHERE h.issue_id = i.id AND h.start >= ${bind(hourFrom)}
      AND h.start <= ${bind(end - HOUR_MS)} AND h.count > 0)`;
}

/**
 * An issue's user field (user.email:…, has:user.email), for both backends' issue filters: the
 * `user` tag values that name it (`email:<value>`: the first identity of each event's user, on
 * every event since the first schema) and the values to find in stored events' own user fields
 * (schema 19 on), which also hold identities that are not a user's first. Matched at query time
 * rather than counted per issue at ingest: counting every identity beside the tags cost ~30 % more
 * server CPU per typical event (bench:ingest, 2026-11-23).
 */
export function userFieldValues(condition: { name: string; values: string[] | null }): {
  tagValues: string[];
  values: string[] | null;
} {
  const prefix = `${condition.name}:`;
  return {
    tagValues: condition.values ? condition.values.map((value) => prefix + value) : [`${prefix}*`],
    values: condition.values,
  };
}
