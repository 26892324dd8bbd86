import { json, numOrNull, type Row, strOrNull } from './row-values.ts';
import type {
  ActionItem,
  ActionItemFields,
  ActionItemKind,
  ActionItemStatus,
  Postmortem,
} from './types-postmortems.ts';

// Backend-neutral post-mortem and action-item row mapping (SQLite JSON as text, PostgreSQL jsonb).

export function toPostmortem(row: Row): Postmortem {
  return {
    id: Number(row.id),
    orgId: Number(row.org_id),
    incidentId: Number(row.incident_id),
    number: Number(row.number),
    version: Number(row.version),
    facts: json<Record<string, unknown>>(row.facts),
    narrative: json<Record<string, string>>(row.narrative),
    generatedAt: Number(row.generated_at),
    generatedBy: String(row.generated_by),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
    updatedBy: String(row.updated_by),
  };
}

/** Applies narrative changes: a string sets a field, null removes it. */
export function mergeNarrative(
  current: Record<string, string>,
  fields: Record<string, string | null>,
): Record<string, string> {
  const merged = { ...current };
  for (const [key, value] of Object.entries(fields)) {
    if (value === null) delete merged[key];
    else merged[key] = value;
  }
  return merged;
}

/** Store field → column, for the SET list of an action item update. */
export const ACTION_ITEM_COLUMNS: Record<keyof ActionItemFields, string> = {
  incidentId: 'incident_id',
  issueId: 'issue_id',
  title: 'title',
  description: 'description',
  kind: 'kind',
  status: 'status',
  ownerUserId: 'owner_user_id',
  ownerName: 'owner_name',
  dueAt: 'due_at',
  completedAt: 'completed_at',
};

export function actionItemParams(
  fields: Partial<ActionItemFields>,
): { column: string; value: string | number | null }[] {
  return Object.entries(fields)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => ({
      column: ACTION_ITEM_COLUMNS[key as keyof ActionItemFields],
      value: value as string | number | null,
    }));
}

export function toActionItem(row: Row): ActionItem {
  return {
    id: Number(row.id),
    orgId: Number(row.org_id),
    incidentId: numOrNull(row.incident_id),
    issueId: numOrNull(row.issue_id),
    title: String(row.title),
    description: strOrNull(row.description),
    kind: String(row.kind) as ActionItemKind,
    status: String(row.status) as ActionItemStatus,
    ownerUserId: numOrNull(row.owner_user_id),
    ownerName: strOrNull(row.owner_name),
    dueAt: numOrNull(row.due_at),
    completedAt: numOrNull(row.completed_at),
    version: Number(row.version),
    createdBy: String(row.created_by),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

/**
 * The WHERE conditions of an action item list, as SQL with `?` marks and their values. `fold` is
 * the backend's Unicode lower-case function (SQLite's own `lower` folds ASCII only: `fold_case`).
 */
export function actionItemFilter(
  query: {
    orgId: number;
    statuses?: string[];
    kinds?: string[];
    incidentId?: number;
    ownerUserId?: number;
    ownerName?: string;
    overdueAt?: number;
  },
  fold: 'LOWER' | 'fold_case',
): { sql: string; params: (string | number)[] } {
  const parts = ['org_id = ?'];
  const params: (string | number)[] = [query.orgId];
  const inList = (column: string, values: string[]) => {
    parts.push(`${column} IN (${values.map(() => '?').join(', ')})`);
    params.push(...values);
  };
  if (query.statuses?.length) inList('status', query.statuses);
  if (query.kinds?.length) inList('kind', query.kinds);
  if (query.incidentId !== undefined) {
    parts.push('incident_id = ?');
    params.push(query.incidentId);
  }
  if (query.ownerUserId !== undefined) {
    parts.push('owner_user_id = ?');
    params.push(query.ownerUserId);
  }
  if (query.ownerName !== undefined) {
    parts.push(`${fold}(owner_name) = ${fold}(?)`);
    params.push(query.ownerName);
  }
  if (query.overdueAt !== undefined) {
    parts.push("due_at IS NOT NULL AND due_at < ? AND status IN ('open', 'in_progress')");
    params.push(query.overdueAt);
  }
  return { sql: parts.join(' AND '), params };
}

/** `?` marks → PostgreSQL's `$n`, numbered from `first`. */
export function dollarMarks(sql: string, first = 1): string {
  let n = first - 1;
  return sql.replace(/\?/g, () => `$${++n}`);
}
