import { isDeepStrictEqual } from 'node:util';
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

/**
 * The fields of `patch` whose values differ from `current` (undefined ones are not given).
 * A change that changes nothing is not made, so it writes no audit row (docs/api.md).
 */
export function changedFields<T extends object>(current: T, patch: Partial<T>): (keyof T & string)[] {
  return (Object.keys(patch) as (keyof T & string)[]).filter(
    (key) => patch[key] !== undefined && !isDeepStrictEqual(patch[key], current[key]),
  );
}
