import { onIncident } from '../incident-rows.ts';
import {
  actionItemFilter,
  actionItemParams,
  mergeNarrative,
  toActionItem,
  toPostmortem,
} from '../postmortem-rows.ts';
import type { PostmortemsStore } from '../types-postmortems.ts';
import type { SqliteConnection, SqliteHandles } from './connection.ts';
import { writeTransaction } from './connection.ts';
import { insertTimelineEntries } from './incidents-rows.ts';

type Row = Record<string, unknown>;

export function createPostmortems(h: SqliteHandles): PostmortemsStore {
  const read = h.reader;
  const postmortemRow = (db: SqliteConnection, id: number) =>
    toPostmortem(db.get<Row>('SELECT * FROM postmortems WHERE id = ?', id) as Row);
  const itemRow = (db: SqliteConnection, id: number) => {
    const row = db.get<Row>('SELECT * FROM action_items WHERE id = ?', id);
    return row ? toActionItem(row) : null;
  };
  return {
    postmortems: {
      generate: (input) =>
        writeTransaction(h, (db) => {
          const existing = db.get<Row>('SELECT id FROM postmortems WHERE incident_id = ?', input.incidentId);
          if (existing) {
            db.run(
              `UPDATE postmortems SET facts = ?, generated_at = ?, generated_by = ?, updated_at = ?,
                 updated_by = ?, version = version + 1 WHERE id = ?`,
              JSON.stringify(input.facts),
              input.now,
              input.actor,
              input.now,
              input.actor,
              Number(existing.id),
            );
            return { postmortem: postmortemRow(db, Number(existing.id)), created: false };
          }
          const row = db.get<Row>(
            `INSERT INTO postmortems (org_id, incident_id, number, facts, narrative, generated_at, generated_by,
               created_at, updated_at, updated_by)
             VALUES (?, ?, (SELECT COALESCE(MAX(number), 0) + 1 FROM postmortems WHERE org_id = ?), ?, '{}', ?, ?, ?, ?, ?)
             RETURNING id`,
            input.orgId,
            input.incidentId,
            input.orgId,
            JSON.stringify(input.facts),
            input.now,
            input.actor,
            input.now,
            input.now,
            input.actor,
          );
          const postmortem = postmortemRow(db, Number(row?.id));
          insertTimelineEntries(
            db,
            onIncident(input.incidentId, input.entriesOnCreate(postmortem)),
            input.now,
          );
          return { postmortem, created: true };
        }),
      getByIncident: async (incidentId) => {
        const row = read.get<Row>('SELECT * FROM postmortems WHERE incident_id = ?', incidentId);
        return row ? toPostmortem(row) : null;
      },
      editNarrative: (id, change) =>
        writeTransaction(h, (db) => {
          const row = db.get<Row>('SELECT * FROM postmortems WHERE id = ?', id);
          if (!row) return null;
          const current = toPostmortem(row);
          if (change.expectedVersion !== undefined && change.expectedVersion !== current.version) return null;
          db.run(
            `UPDATE postmortems SET narrative = ?, updated_at = ?, updated_by = ?, version = version + 1
             WHERE id = ? AND version = ?`,
            JSON.stringify(mergeNarrative(current.narrative, change.fields)),
            change.now,
            change.actor,
            id,
            current.version,
          );
          insertTimelineEntries(db, onIncident(current.incidentId, change.entries), change.now);
          return postmortemRow(db, id);
        }),
    },
    actionItems: {
      create: (input) =>
        writeTransaction(h, (db) => {
          const row = db.get<Row>(
            `INSERT INTO action_items (org_id, incident_id, issue_id, title, description, kind, status,
               owner_user_id, owner_name, due_at, completed_at, created_by, created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
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
            input.now,
          ) as Row;
          const item = toActionItem(row);
          insertTimelineEntries(db, input.entriesFor(item), input.now);
          return item;
        }),
      get: async (id) => itemRow(read, id),
      list: async (query) => {
        const where = actionItemFilter(query, 'fold_case');
        return read
          .all<Row>(
            `SELECT * FROM action_items WHERE ${where.sql}
             ORDER BY due_at IS NULL, due_at, id LIMIT ? OFFSET ?`,
            ...where.params,
            query.limit,
            query.offset,
          )
          .map(toActionItem);
      },
      update: (id, change) =>
        writeTransaction(h, (db) => {
          const sets = actionItemParams(change.fields);
          const changed = db.run(
            `UPDATE action_items SET ${sets.map((s) => `${s.column} = ?, `).join('')}version = version + 1,
               updated_at = ? WHERE id = ? AND (? IS NULL OR version = ?)`,
            ...sets.map((s) => s.value),
            change.now,
            id,
            change.expectedVersion ?? null,
            change.expectedVersion ?? null,
          );
          if (changed === 0) return null;
          insertTimelineEntries(db, change.entries, change.now);
          return itemRow(db, id);
        }),
      delete: (id, entries, now) =>
        writeTransaction(h, (db) => {
          if (db.run('DELETE FROM action_items WHERE id = ?', id) === 0) return false;
          insertTimelineEntries(db, entries, now);
          return true;
        }),
    },
  };
}
