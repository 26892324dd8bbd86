import type { SQLInputValue } from 'node:sqlite';
import { byRunbook, toRunbook, toTag } from '../runbook-rows.ts';
import type { Runbook, RunbookContent, RunbooksStore } from '../types-runbooks.ts';
import { insertAudit } from './audit.ts';
import type { SqliteConnection, SqliteHandles } from './connection.ts';
import { writeTransaction } from './connection.ts';
import { createIncidentMemory } from './runbooks-memory.ts';

type Row = Record<string, unknown>;

const marks = (n: number) => Array.from({ length: n }, () => '?').join(',');

/** Runbook rows with their projects and tags (two queries for any number of runbooks). */
function assemble(db: SqliteConnection, rows: Row[]): Runbook[] {
  if (rows.length === 0) return [];
  const ids = rows.map((row) => Number(row.id));
  const projects = byRunbook(
    db.all<Row>(
      `SELECT runbook_id, project_id FROM runbook_projects WHERE runbook_id IN (${marks(ids.length)}) ORDER BY project_id`,
      ...ids,
    ),
    (row) => Number(row.project_id),
  );
  const tags = byRunbook(
    db.all<Row>(
      `SELECT runbook_id, key, value FROM runbook_tags WHERE runbook_id IN (${marks(ids.length)}) ORDER BY key, value`,
      ...ids,
    ),
    toTag,
  );
  return rows.map((row) =>
    toRunbook(row, projects.get(Number(row.id)) ?? [], tags.get(Number(row.id)) ?? []),
  );
}

function writeAttachments(db: SqliteConnection, id: number, content: RunbookContent): void {
  db.run('DELETE FROM runbook_projects WHERE runbook_id = ?', id);
  db.run('DELETE FROM runbook_tags WHERE runbook_id = ?', id);
  for (const projectId of content.projectIds) {
    db.run(
      'INSERT INTO runbook_projects (runbook_id, project_id) VALUES (?, ?) ON CONFLICT DO NOTHING',
      id,
      projectId,
    );
  }
  for (const { key, value } of content.tags) {
    db.run(
      'INSERT INTO runbook_tags (runbook_id, key, value) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
      id,
      key,
      value,
    );
  }
}

const byId = (db: SqliteConnection, orgId: number, id: number): Runbook | null =>
  assemble(db, db.all<Row>('SELECT * FROM runbooks WHERE org_id = ? AND id = ?', orgId, id))[0] ?? null;

export function createRunbooks(h: SqliteHandles): RunbooksStore {
  const read = h.reader;
  return {
    runbooks: {
      create: (input, audit) =>
        writeTransaction(h, (db) => {
          const row = db.get<Row>(
            `INSERT INTO runbooks (org_id, title, body, created_by, updated_by, created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
            input.orgId,
            input.title,
            input.body,
            input.actor,
            input.actor,
            input.now,
            input.now,
          );
          const id = Number(row?.id);
          writeAttachments(db, id, input);
          insertAudit(db, audit, id);
          return byId(db, input.orgId, id) as Runbook;
        }),
      get: async (orgId, id) => byId(read, orgId, id),
      list: async ({ orgId, projectId, tag, limit, offset }) =>
        assemble(
          read,
          read.all<Row>(
            `SELECT r.* FROM runbooks r WHERE r.org_id = ?
               AND (? IS NULL OR EXISTS (SELECT 1 FROM runbook_projects p WHERE p.runbook_id = r.id AND p.project_id = ?))
               AND (? IS NULL OR EXISTS (SELECT 1 FROM runbook_tags t WHERE t.runbook_id = r.id AND t.key = ? AND t.value = ?))
             ORDER BY r.title, r.id LIMIT ? OFFSET ?`,
            orgId,
            projectId ?? null,
            projectId ?? null,
            tag?.key ?? null,
            tag?.key ?? null,
            tag?.value ?? null,
            limit,
            offset,
          ),
        ),
      matching: async ({ orgId, projectIds, tags }) => {
        const conditions: string[] = [];
        const params: SQLInputValue[] = [orgId];
        if (projectIds.length > 0) {
          conditions.push(
            `EXISTS (SELECT 1 FROM runbook_projects p WHERE p.runbook_id = r.id AND p.project_id IN (${marks(projectIds.length)}))`,
          );
          params.push(...projectIds);
        }
        if (tags.length > 0) {
          conditions.push(
            `EXISTS (SELECT 1 FROM runbook_tags t WHERE t.runbook_id = r.id AND (${tags.map(() => '(t.key = ? AND t.value = ?)').join(' OR ')}))`,
          );
          params.push(...tags.flatMap((t) => [t.key, t.value]));
        }
        if (conditions.length === 0) return [];
        return assemble(
          read,
          read.all<Row>(
            `SELECT r.* FROM runbooks r WHERE r.org_id = ? AND (${conditions.join(' OR ')}) ORDER BY r.title, r.id`,
            ...params,
          ),
        );
      },
      tagKeys: async (orgId) =>
        read
          .all<Row>(
            `SELECT DISTINCT t.key FROM runbook_tags t JOIN runbooks r ON r.id = t.runbook_id
             WHERE r.org_id = ? ORDER BY t.key`,
            orgId,
          )
          .map((row) => String(row.key)),
      update: (orgId, id, content, audit) =>
        writeTransaction(h, (db) => {
          const changed = db.run(
            `UPDATE runbooks SET title = ?, body = ?, updated_by = ?, updated_at = ? WHERE org_id = ? AND id = ?`,
            content.title,
            content.body,
            content.actor,
            content.now,
            orgId,
            id,
          );
          if (changed === 0) return null;
          writeAttachments(db, id, content);
          insertAudit(db, audit);
          return byId(db, orgId, id);
        }),
      delete: (orgId, id, audit) =>
        writeTransaction(h, (db) => {
          const deleted = db.run('DELETE FROM runbooks WHERE org_id = ? AND id = ?', orgId, id) > 0;
          if (deleted) insertAudit(db, audit);
          return deleted;
        }),
    },
    ...createIncidentMemory(h),
  };
}
