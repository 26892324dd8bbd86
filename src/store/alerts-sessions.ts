import { addCounter, outcomeRank, type SessionCounterDelta } from './alerts-rows.ts';
import type { Row } from './row-values.ts';
import type { SessionOutcome, SessionUpdate } from './types-alerts.ts';

/** A session already seen unhealthy: where it was counted, and as what. */
export interface UnhealthySession {
  release: string;
  environment: string;
  hour: number;
  outcome: SessionOutcome;
}

export const toUnhealthySession = (row: Row): UnhealthySession => ({
  release: String(row.release),
  environment: String(row.environment),
  hour: Number(row.hour),
  outcome: row.outcome as SessionOutcome,
});

/** The per-session bookkeeping each backend provides inside its write transaction. */
export interface UnhealthySessions {
  /** The session's row (locked for the transaction where the backend can). */
  find(projectId: number, sid: string): Promise<UnhealthySession | null>;
  /** Inserts the row; false when another writer inserted it first. */
  insert(update: SessionUpdate & { outcome: SessionOutcome }): Promise<boolean>;
  upgrade(projectId: number, sid: string, outcome: SessionOutcome, seenAt: number): Promise<void>;
}

/**
 * Turns session updates into counter deltas. A started session (`init`) counts once; an
 * unhealthy one counts once under its worst outcome: a later, worse update (errored, then
 * crashed) moves it from one counter to the other, in the hour it started. Healthy sessions
 * leave no row, so the bookkeeping is proportional to the unhealthy ones only.
 */
export async function applySessionUpdates(
  updates: SessionUpdate[],
  sessions: UnhealthySessions,
  counters: Map<string, SessionCounterDelta>,
): Promise<void> {
  for (const update of updates) {
    if (update.init) addCounter(counters, update, 'sessions', 1);
    const outcome = update.outcome;
    if (!outcome) continue;
    // Two attempts: an insert that lost a race finds the winner's row on the second.
    for (let attempt = 0; attempt < 2; attempt++) {
      const existing = await sessions.find(update.projectId, update.sid);
      if (!existing) {
        if (!(await sessions.insert({ ...update, outcome }))) continue;
        addCounter(counters, update, outcome, 1);
        break;
      }
      if (outcomeRank(outcome) < outcomeRank(existing.outcome)) {
        await sessions.upgrade(update.projectId, update.sid, outcome, update.seenAt);
        const at = { projectId: update.projectId, ...existing };
        addCounter(counters, at, existing.outcome, -1);
        addCounter(counters, at, outcome, 1);
      }
      break;
    }
  }
}
