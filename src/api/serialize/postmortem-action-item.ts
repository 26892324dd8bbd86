import type { ActionItemView } from '../../postmortems/action-items.ts';
import { isoDate } from './dates.ts';

const iso = (ms: number | null): string | null => (ms === null ? null : isoDate(ms));

/** An action item as the API shows it: string ids, RFC 3339 dates, owner/incident/issue by name. */
export function serializeActionItem({ item, owner, incident, issue, overdue }: ActionItemView) {
  return {
    id: String(item.id),
    title: item.title,
    description: item.description,
    kind: item.kind,
    status: item.status,
    owner: owner
      ? { id: owner.userId === null ? null : String(owner.userId), name: owner.name, email: owner.email }
      : null,
    dueAt: iso(item.dueAt),
    overdue,
    completedAt: iso(item.completedAt),
    incident: incident ? { id: String(incident.id), ref: incident.ref, title: incident.title } : null,
    issue: issue ? { id: String(issue.id), shortId: issue.shortId, title: issue.title } : null,
    version: item.version,
    createdBy: item.createdBy,
    dateCreated: isoDate(item.createdAt),
    dateUpdated: isoDate(item.updatedAt),
  };
}
