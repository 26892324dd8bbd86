import type { TagValueCount } from './types.ts';
import type { TagKeySummary } from './types-issues.ts';

/** A row as both drivers return it after their own type conversion: snake_case columns. */
type Row = Record<string, unknown>;

/** An `issue_tag_values` row. */
export function toTagValueCount(row: Row): TagValueCount {
  return {
    key: String(row.key),
    value: String(row.value),
    count: Number(row.count),
    firstSeen: Number(row.first_seen),
    lastSeen: Number(row.last_seen),
  };
}

/** Rows of (key, total, uniq, value…) ordered by key then rank, folded into one summary per key. */
export function summarizeTagRows(rows: Row[]): TagKeySummary[] {
  const summaries = new Map<string, TagKeySummary>();
  for (const row of rows) {
    const key = String(row.key);
    let summary = summaries.get(key);
    if (!summary) {
      summary = { key, totalValues: Number(row.total), uniqueValues: Number(row.uniq), topValues: [] };
      summaries.set(key, summary);
    }
    summary.topValues.push(toTagValueCount(row));
  }
  return [...summaries.values()];
}
