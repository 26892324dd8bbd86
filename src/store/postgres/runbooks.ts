import type pg from 'pg';
import { byRunbook, toRunbook, toTag } from '../runbook-rows.ts';
import type { Runbook, RunbookContent, RunbooksStore } from '../types-runbooks.ts';
import { insertAudit } from './audit.ts';
import { inTransaction, type Queryable, type Row, rows } from './pool.ts';
import { createIncidentMemory } from './runbooks-memory.ts';

/** Runbook rows with their projects and tags (two queries for any number of runbooks). */
async function assemble(db: Queryable, runbookRows: Row[]): Promise<Runbook[]> {
  if (runbookRows.length === 0) return [];
  const ids = runbookRows.map((row) => Number(row.id));
  const projects = byRunbook(
    await rows(
      db,
      'SELECT runbook_id, project_id FROM runbook_projects WHERE runbook_id = ANY($1) ORDER BY project_id',
      [ids],
    ),
    (row) => Number(row.project_id),
  );
  const tags = byRunbook(
    await rows(
      db,
      'SELECT runbook_id, key, value FROM runbook_tags WHERE runbook_id = ANY($1) ORDER BY key, value',
      [ids],
    ),
    toTag,
  );
  return runbookRows.map((row) =>
    toRunbook(row, projects.get(Number(row.id)) ?? [], tags.get(Number(row.id)) ?? []),
  );
}

async function writeAttachments(db: Queryable, id: number, content: RunbookContent): Promise<void> {
  await db.query('DELETE FROM runbook_projects WHERE runbook_id = $1', [id]);
  await db.query('DELETE FROM runbook_tags WHERE runbook_id = $1', [id]);
  await db.query(
    `INSERT INTO runbook_projects (runbook_id, project_id)
     SELECT $1, unnest($2::bigint[]) ON CONFLICT DO NOTHING`,
    [id, content.projectIds],
  );
  await db.query(
    `INSERT INTO runbook_tags (runbook_id, key, value)
     SELECT $1, k, v FROM unnest($2::text[], $3::text[]) AS t(k, v) ON CONFLICT DO NOTHING`,
    [id, content.tags.map((t) => t.key), content.tags.map((t) => t.value)],
  );
}

const byId = async (db: Queryable, orgId: number, id: number): Promise<Runbook | null> =>
  (
    await assemble(db, await rows(db, 'SELECT * FROM runbooks WHERE org_id = $1 AND id = $2', [orgId, id]))
  )[0] ?? null;

export function createRunbooks(pool: pg.Pool): RunbooksStore {
  return {
    runbooks: {
      create: (input, audit) =>
        inTransaction(pool, async (db) => {
          const [row] = await rows(
            db,
            `INSERT INTO runbooks (org_id, title, body, created_by, updated_by, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $4, $5, $5) RETURNING id`,
            [input.orgId, input.title, input.body, input.actor, input.now],
          );
          const id = Number(row.id);
          await writeAttachments(db, id, input);
          await insertAudit(db, audit, id);
          return (await byId(db, input.orgId, id)) as Runbook;
        }),
      get: (orgId, id) => byId(pool, orgId, id),
      list: async ({ orgId, projectId, tag, limit, offset }) =>
        assemble(
          pool,
          await rows(
            pool,
            `SELECT r.* FROM runbooks r WHERE r.org_id = $1
               AND ($2::bigint IS NULL OR EXISTS (SELECT 1 FROM runbook_projects p WHERE p.runbook_id = r.id AND p.project_id = $2))
               AND ($3::text IS NULL OR EXISTS (SELECT 1 FROM runbook_tags t WHERE t.runbook_id = r.id AND t.key = $3 AND t.value = $4))
             ORDER BY r.title, r.id LIMIT $5 OFFSET $6`,
            [orgId, projectId ?? null, tag?.key ?? null, tag?.value ?? null, limit, offset],
          ),
        ),
      matching: async ({ orgId, projectIds, tags }) => {
        if (projectIds.length === 0 && tags.length === 0) return [];
        return assemble(
          pool,
          await rows(
            pool,
            `SELECT r.* FROM runbooks r WHERE r.org_id = $1 AND (
               EXISTS (SELECT 1 FROM runbook_projects p WHERE p.runbook_id = r.id AND p.project_id = ANY($2::bigint[]))
               OR EXISTS (SELECT 1 FROM runbook_tags t JOIN unnest($3::text[], $4::text[]) AS m(k, v)
                          ON t.key = m.k AND t.value = m.v WHERE t.runbook_id = r.id))
             ORDER BY r.title, r.id`,
            [orgId, projectIds, tags.map((t) => t.key), tags.map((t) => t.value)],
          ),
        );
      },
      tagKeys: async (orgId) =>
        (
          await rows(
            pool,
            `SELECT DISTINCT t.key FROM runbook_tags t JOIN runbooks r ON r.id = t.runbook_id
             WHERE r.org_id = $1 ORDER BY t.key`,
            [orgId],
          )
        ).map((row) => String(row.key)),
      update: (orgId, id, content, audit) =>
        inTransaction(pool, async (db) => {
          const result = await db.query(
            'UPDATE runbooks SET title = $1, body = $2, updated_by = $3, updated_at = $4 WHERE org_id = $5 AND id = $6',
            [content.title, content.body, content.actor, content.now, orgId, id],
          );
          if ((result.rowCount ?? 0) === 0) return null;
          await writeAttachments(db, id, content);
          await insertAudit(db, audit);
          return byId(db, orgId, id);
        }),
      delete: (orgId, id, audit) =>
        inTransaction(pool, async (db) => {
          const result = await db.query('DELETE FROM runbooks WHERE org_id = $1 AND id = $2', [orgId, id]);
          const deleted = (result.rowCount ?? 0) > 0;
          if (deleted) await insertAudit(db, audit);
          return deleted;
        }),
    },
    ...createIncidentMemory(pool),
  };
}
