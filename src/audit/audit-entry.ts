import type { AuditEntry } from '../store/types-audit.ts';

/** An audit entry for one organisation, actor and moment; the store writes it with the change. */
export function auditEntry(
  at: { orgId: number; actor: string; now: number },
  action: string,
  target: { type: string; id?: number | string },
  data: Record<string, unknown>,
): AuditEntry {
  return {
    orgId: at.orgId,
    actor: at.actor,
    now: at.now,
    action,
    targetType: target.type,
    targetId: target.id === undefined ? undefined : String(target.id),
    data,
  };
}
