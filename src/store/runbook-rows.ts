import { json, type Row } from './row-values.ts';
import type {
  IncidentLink,
  Runbook,
  RunbookTag,
  SharedIssueMatch,
  StoredSignature,
} from './types-runbooks.ts';

// Backend-neutral runbook and memory row mapping: SQLite gives JSON as text, PostgreSQL jsonb.

export function toRunbook(row: Row, projectIds: number[], tags: RunbookTag[]): Runbook {
  return {
    id: Number(row.id),
    orgId: Number(row.org_id),
    title: String(row.title),
    body: String(row.body),
    projectIds,
    tags,
    createdBy: String(row.created_by),
    updatedBy: String(row.updated_by),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

/** Groups attachment rows (`runbook_id` plus the attachment) by runbook. */
export function byRunbook<T>(rows: Row[], map: (row: Row) => T): Map<number, T[]> {
  const grouped = new Map<number, T[]>();
  for (const row of rows) {
    const id = Number(row.runbook_id);
    grouped.set(id, [...(grouped.get(id) ?? []), map(row)]);
  }
  return grouped;
}

export const toTag = (row: Row): RunbookTag => ({ key: String(row.key), value: String(row.value) });

export const toIncidentLink = (row: Row): IncidentLink => ({
  incidentId: Number(row.incident_id),
  relatedId: Number(row.related_id),
  relation: String(row.relation),
  data: json<Record<string, unknown>>(row.data),
  createdAt: Number(row.created_at),
});

export const toStoredSignature = (row: Row): StoredSignature => ({
  signature: json<Record<string, unknown>>(row.signature),
  computedAt: Number(row.computed_at),
});

export const toSharedIssueMatch = (row: Row): SharedIssueMatch => ({
  incidentId: Number(row.incident_id),
  pastIssueId: Number(row.past_issue_id),
  issueId: Number(row.issue_id),
  via: row.via === 'hash' ? 'hash' : 'issue',
});
