/**
 * One audit row to write in the same transaction as the change it records. `targetId` defaults
 * to the id of the row the write creates (a new key, team, token); the row is written only when
 * the change happened (a no-op link, a missing key or a refused demotion leaves none).
 */
export interface AuditEntry {
  orgId: number;
  /** principal.actor (`user:12`, `token:3`) or `system` for the CLI. */
  actor: string;
  /** Sentry's audit event names where one exists: `projectkey.create`, `member.edit`, … */
  action: string;
  targetType: string;
  targetId?: string;
  /** Never secrets: no token or token hash (a token prefix is fine). */
  data: Record<string, unknown>;
  now: number;
}

export interface AuditRow {
  id: number;
  orgId: number;
  actor: string;
  action: string;
  targetType: string;
  targetId: string | null;
  data: Record<string, unknown>;
  createdAt: number;
}

export interface AuditStore {
  audit: {
    /** Newest first; `cursor` is the id of the last row of the previous page (keyset). */
    list(orgId: number, page: { limit: number; cursor?: number }): Promise<AuditRow[]>;
  };
}
