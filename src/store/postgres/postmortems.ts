import type pg from 'pg';
import { onIncident } from '../incident-rows.ts';
import {
  actionItemFilter,
  actionItemParams,
  dollarMarks,
  mergeNarrative,
  toActionItem,
  toPostmortem,
} from '../postmortem-rows.ts';
import type { PostmortemsStore } from '../types-postmortems.ts';
import { insertTimelineEntries } from './incidents-rows.ts';
import { inTransaction, one, type Queryable, rows } from './pool.ts';

export function createPostmortems(pool: pg.Pool): PostmortemsStore {
  const itemRow = async (db: Queryable, id: number) => {
    const row = await one(db, 'SELECT * FROM action_items WHERE id = $1', [id]);
    return row ? toActionItem(row) : null;
  };
  return {
    postmortems: {
      generate: (input) =>
        inTransaction(pool, async (db) => {
          // ADR numbers are per organisation: lock it so two first generations take turns, and
          // lock the incident so two generations of one post-mortem do too.
          await db.query('SELECT id FROM orgs WHERE id = $1 FOR UPDATE', [input.orgId]);
          const existing = await one(db, 'SELECT id FROM postmortems WHERE incident_id = $1', [
            input.incidentId,
          ]);
          if (existing) {
            const row = await one(
              db,
              `UPDATE postmortems SET facts = $1::jsonb, generated_at = $2, generated_by = $3, updated_at = $2,
                 updated_by = $3, version = version + 1 WHERE id = $4 RETURNING *`,
              [JSON.stringify(input.facts), input.now, input.actor, existing.id],
            );
            return { postmortem: toPostmortem(row!), created: false };
          }
          const row = await one(
            db,
            `INSERT INTO postmortems (org_id, incident_id, number, facts, narrative, generated_at, generated_by,
               created_at, updated_at, updated_by)
             VALUES ($1, $2, (SELECT COALESCE(MAX(number), 0) + 1 FROM postmortems WHERE org_id = $1),
               $3::jsonb, '{}'::jsonb, $4, $5, $4, $4, $5)
             RETURNING *`,
            [input.orgId, input.incidentId, JSON.stringify(input.facts), input.now, input.actor],
          );
          const postmortem = toPostmortem(row!);
          await insertTimelineEntries(
            db,
            onIncident(input.incidentId, input.entriesOnCreate(postmortem)),
            input.now,
          );
          return { postmortem, created: true };
        }),
      getByIncident: async (incidentId) => {
        const row = await one(pool, 'SELECT * FROM postmortems WHERE incident_id = $1', [incidentId]);
        return row ? toPostmortem(row) : null;
      },
      editNarrative: (id, change) =>
        inTransaction(pool, async (db) => {
          const row = await one(db, 'SELECT * FROM postmortems WHERE id = $1 FOR UPDATE', [id]);
          if (!row) return null;
          const current = toPostmortem(row);
          if (change.expectedVersion !== undefined && change.expectedVersion !== current.version) return null;
          const updated = await one(
            db,
            `UPDATE postmortems SET narrative = $1::jsonb, updated_at = $2, updated_by = $3, version = version + 1
             WHERE id = $4 RETURNING *`,
            [JSON.stringify(mergeNarrative(current.narrative, change.fields)), change.now, change.actor, id],
          );
          await insertTimelineEntries(db, onIncident(current.incidentId, change.entries), change.now);
          return toPostmortem(updated!);
        }),
    },
    actionItems: {
      create: (input) =>
        inTransaction(pool, async (db) => {
          const row = await one(
            db,
            `INSERT INTO action_items (org_id, incident_id, issue_id, title, description, kind, status,
               owner_user_id, owner_name, due_at, completed_at, created_by, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) RETURNING *`,
            [
              input.orgId,
              input.incidentId,
              input.issueId,
              input.title,
              input.description,
              input.kind,
              input.status,
              input.ownerUserId,
              input.ownerName,
              input.dueAt,
              input.completedAt,
              input.createdBy,
              input.now,
            ],
          );
          const item = toActionItem(row!);
          await insertTimelineEntries(db, input.entriesFor(item), input.now);
          return item;
        }),
      get: (id) => itemRow(pool, id),
      list: async (query) => {
        const where = actionItemFilter(query, 'LOWER');
        const n = where.params.length;
        return (
          await rows(
            pool,
            `SELECT * FROM action_items WHERE ${dollarMarks(where.sql)}
             ORDER BY due_at ASC NULLS LAST, id LIMIT $${n + 1} OFFSET $${n + 2}`,
            [...where.params, query.limit, query.offset],
          )
        ).map(toActionItem);
      },
      update: (id, change) =>
        inTransaction(pool, async (db) => {
          const sets = actionItemParams(change.fields);
          const n = sets.length;
          const result = await db.query(
            `UPDATE action_items SET ${sets.map((s, i) => `${s.column} = $${i + 1}, `).join('')}version = version + 1,
               updated_at = $${n + 1} WHERE id = $${n + 2} AND ($${n + 3}::bigint IS NULL OR version = $${n + 3})`,
            [...sets.map((s) => s.value), change.now, id, change.expectedVersion ?? null],
          );
          if ((result.rowCount ?? 0) === 0) return null;
          await insertTimelineEntries(db, change.entries, change.now);
          return itemRow(db, id);
        }),
      delete: (id, entries, now) =>
        inTransaction(pool, async (db) => {
          const result = await db.query('DELETE FROM action_items WHERE id = $1', [id]);
          if ((result.rowCount ?? 0) === 0) return false;
          await insertTimelineEntries(db, entries, now);
          return true;
        }),
    },
  };
}
