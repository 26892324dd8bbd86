import { bool, json, numOrNull, type Row } from './row-values.ts';
import type {
  AlertFiring,
  AlertRule,
  AlertRulePatch,
  DetectorKind,
  ReleaseHealthTotals,
  SessionAggregate,
  SessionOutcome,
  SessionUpdate,
} from './types-alerts.ts';
import { SESSION_OUTCOMES } from './types-alerts.ts';

/** Backend-neutral alert row mapping (row-values.ts: JSON as text or jsonb, 0/1 or booleans). */

export function toAlertRule(row: Row): AlertRule {
  return {
    id: Number(row.id),
    orgId: Number(row.org_id),
    projectId: Number(row.project_id),
    name: String(row.name),
    detector: String(row.detector) as DetectorKind,
    enabled: bool(row.enabled),
    conditions: json(row.conditions),
    filters: json(row.filters),
    actions: json(row.actions),
    cooldownMinutes: Number(row.cooldown_minutes),
    isDefault: bool(row.is_default),
    createdBy: String(row.created_by),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
    enabledAt: Number(row.enabled_at ?? row.created_at),
  };
}

/**
 * A rule's `enabled_at` in an UPDATE (`?`: the update's time). SET reads the row as it was, so a
 * rule that was enabled keeps it, and one that was off (being enabled, or edited while off)
 * takes the update's time: it counts once the rule is on.
 */
export const ENABLED_AT_ON_UPDATE = 'CASE WHEN enabled THEN enabled_at ELSE ? END';

export function toAlertFiring(row: Row): AlertFiring {
  return {
    id: Number(row.id),
    ruleId: Number(row.rule_id),
    orgId: Number(row.org_id),
    projectId: Number(row.project_id),
    detector: String(row.detector) as DetectorKind,
    subject: String(row.subject),
    key: String(row.key),
    issueId: numOrNull(row.issue_id),
    firedAt: Number(row.fired_at),
    summary: String(row.summary),
    data: json(row.data),
    status: String(row.status) as AlertFiring['status'],
    results: json(row.results),
  };
}

/** Store field → column with its bound value (objects as JSON text), for a rule's SET list. */
export function rulePatchParams(patch: AlertRulePatch): { column: string; value: string | number }[] {
  const columns: Record<keyof AlertRulePatch, string> = {
    name: 'name',
    enabled: 'enabled',
    conditions: 'conditions',
    filters: 'filters',
    actions: 'actions',
    cooldownMinutes: 'cooldown_minutes',
  };
  return Object.entries(patch)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => ({
      column: columns[key as keyof AlertRulePatch],
      value:
        typeof value === 'object'
          ? JSON.stringify(value)
          : typeof value === 'boolean'
            ? Number(value)
            : value,
    }));
}

export function toHealthTotals(row: Row): ReleaseHealthTotals {
  return {
    projectId: Number(row.project_id),
    release: String(row.release),
    environment: row.environment === null || row.environment === undefined ? null : String(row.environment),
    sessions: Number(row.sessions ?? 0),
    crashed: Number(row.crashed ?? 0),
    abnormal: Number(row.abnormal ?? 0),
    unhandled: Number(row.unhandled ?? 0),
    errored: Number(row.errored ?? 0),
    users: Number(row.users ?? 0),
    crashedUsers: Number(row.crashed_users ?? 0),
    firstSeen: Number(row.first_seen),
    lastSeen: Number(row.last_seen),
  };
}

/** Session sums joined with the distinct-user counts of the same (project, release, environment). */
export function joinHealthTotals(sessions: Row[], users: Row[]): ReleaseHealthTotals[] {
  const key = (row: Row) => `${row.project_id}\0${row.release}\0${row.environment}`;
  const usersOf = new Map(users.map((row) => [key(row), row]));
  return sessions.map((row) => {
    const u = usersOf.get(key(row));
    return toHealthTotals({ ...row, users: u?.users ?? 0, crashed_users: u?.crashed_users ?? 0 });
  });
}

export const outcomeRank = (outcome: SessionOutcome): number => SESSION_OUTCOMES.indexOf(outcome);

/** Counter deltas per (project, release, environment, hour), summed over a batch. */
export interface SessionCounterDelta {
  projectId: number;
  release: string;
  environment: string;
  hour: number;
  sessions: number;
  crashed: number;
  abnormal: number;
  unhandled: number;
  errored: number;
}

export function counterKey(row: { projectId: number; release: string; environment: string; hour: number }) {
  return `${row.projectId}\0${row.release}\0${row.environment}\0${row.hour}`;
}

/** Adds `delta` of `field` to the batch's counters (creating the row at zero). */
export function addCounter(
  counters: Map<string, SessionCounterDelta>,
  at: { projectId: number; release: string; environment: string; hour: number },
  field: 'sessions' | SessionOutcome,
  delta: number,
): void {
  const key = counterKey(at);
  let row = counters.get(key);
  if (!row) {
    row = {
      projectId: at.projectId,
      release: at.release,
      environment: at.environment,
      hour: at.hour,
      sessions: 0,
      crashed: 0,
      abnormal: 0,
      unhandled: 0,
      errored: 0,
    };
    counters.set(key, row);
  }
  row[field] += delta;
}

/** The counters a batch of aggregates adds (they need no per-session bookkeeping). */
export function aggregateCounters(
  aggregates: SessionAggregate[],
  counters: Map<string, SessionCounterDelta>,
) {
  for (const a of aggregates) {
    const total = a.healthy + a.errored + a.abnormal + a.unhandled + a.crashed;
    addCounter(counters, a, 'sessions', total);
    for (const outcome of SESSION_OUTCOMES) if (a[outcome] > 0) addCounter(counters, a, outcome, a[outcome]);
  }
}

/** Users seen in a batch, one row per (project, release, environment, did), crashed if any said so. */
export function batchUsers(updates: SessionUpdate[], aggregates: SessionAggregate[]) {
  const users = new Map<
    string,
    { projectId: number; release: string; environment: string; did: string; crashed: number; seenAt: number }
  >();
  const add = (
    u: { projectId: number; release: string; environment: string; seenAt: number },
    did: string,
    crashed: boolean,
  ) => {
    const key = `${u.projectId}\0${u.release}\0${u.environment}\0${did}`;
    const row = users.get(key);
    if (row) {
      row.crashed = Math.max(row.crashed, crashed ? 1 : 0);
      row.seenAt = Math.max(row.seenAt, u.seenAt);
    } else users.set(key, { ...u, did, crashed: crashed ? 1 : 0 });
  };
  for (const u of updates) if (u.did) add(u, u.did, u.outcome === 'crashed');
  for (const a of aggregates) if (a.did) add(a, a.did, a.crashed > 0);
  return [...users.values()].map(({ projectId, release, environment, did, crashed, seenAt }) => ({
    projectId,
    release,
    environment,
    did,
    crashed,
    seenAt,
  }));
}

/** Issues that have one of the environments and every tag value asked for. */
export function matching(
  issueIds: number[],
  filter: { environments?: string[]; tags?: Record<string, string> },
  rows: Row[],
): Set<number> {
  const seen = new Map<number, Set<string>>();
  for (const row of rows) {
    const id = Number(row.issue_id);
    const values = seen.get(id) ?? new Set<string>();
    values.add(`${row.key}\0${row.value}`);
    seen.set(id, values);
  }
  return new Set(
    issueIds.filter((id) => {
      const values = seen.get(id) ?? new Set<string>();
      const envOk = !filter.environments || filter.environments.some((e) => values.has(`environment\0${e}`));
      return envOk && Object.entries(filter.tags ?? {}).every(([k, v]) => values.has(`${k}\0${v}`));
    }),
  );
}
