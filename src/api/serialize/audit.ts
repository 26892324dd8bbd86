import type { AuditView } from '../../audit/list-audit-log.ts';
import { isoDate } from './dates.ts';

/** The audit event names Sentry's UI filters by (`options`), Firebreak's own included. */
export const AUDIT_EVENTS = [
  'projectkey.create',
  'projectkey.edit',
  'projectkey.rotate',
  'projectkey.remove',
  'member.add',
  'member.edit',
  'member.remove',
  'team.create',
  'team.member-add',
  'team.member-remove',
  'team.project-add',
  'team.project-remove',
  'api-token.create',
  'api-token.revoke',
  'issue.delete',
  'rule.add',
  'rule.edit',
  'rule.remove',
  'runbook.create',
  'runbook.edit',
  'runbook.remove',
];

/** One row of Sentry's `GET /organizations/{org}/audit-logs/`. */
export function serializeAuditRow(row: AuditView) {
  return {
    id: String(row.id),
    actor: { name: row.actorName, actor: row.actor },
    event: row.action,
    ipAddress: null,
    note: `${row.action} ${row.targetType}${row.targetId === null ? '' : ` ${row.targetId}`}`,
    targetObject: row.targetId === null ? null : Number(row.targetId),
    targetUser: null,
    data: row.data,
    dateCreated: isoDate(row.createdAt),
  };
}
