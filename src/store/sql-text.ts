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
/** A Sentry wildcard value (`*` any run of characters) as a SQLite GLOB, its other specials literal. */
export function globPattern(wildcard: string): string {
  return wildcard.replace(/[?[]/g, (c) => `[${c}]`);
}

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

/** Users found by two queries, each once, at most `limit`. */
export function distinctUsers<T extends { projectId: number; userKey: string }>(
  found: T[],
  limit: number,
): T[] {
  const seen = new Set<string>();
  return found
    .filter((user) => {
      const key = `${user.projectId}\0${user.userKey}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .slice(0, limit);
}
