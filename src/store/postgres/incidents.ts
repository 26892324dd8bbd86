import type pg from 'pg';
import {
  fieldParams,
  onIncident,
  toMitigationHook,
  toTimelineEdit,
  toTimelineEntry,
} from '../incident-rows.ts';
import type { Incident, IncidentsStore, SignalsStore } from '../types-incidents.ts';
import { assembleIncidents, insertTimelineEntries } from './incidents-rows.ts';
import { inTransaction, one, type Queryable, rows } from './pool.ts';

async function linkIssues(db: Queryable, incidentId: number, issueIds: number[], now: number): Promise<void> {
  if (issueIds.length === 0) return;
  await db.query(
    `INSERT INTO incident_issues (incident_id, issue_id, linked_at)
     SELECT $1, unnest($2::bigint[]), $3 ON CONFLICT DO NOTHING`,
    [incidentId, issueIds, now],
  );
}

const first = async (db: Queryable, sql: string, params: unknown[]): Promise<Incident | null> =>
  (await assembleIncidents(db, await rows(db, sql, params)))[0] ?? null;

export function createIncidents(pool: pg.Pool): IncidentsStore & SignalsStore {
  return {
    incidents: {
      create: (input) =>
        inTransaction(pool, async (db) => {
          // Numbers are per organisation: lock the organisation so two declarations take turns.
          await db.query('SELECT id FROM orgs WHERE id = $1 FOR UPDATE', [input.orgId]);
          const row = await one(
            db,
            `INSERT INTO incidents (org_id, number, title, severity, status, services, ticket_url, channel_url,
               detection_source, first_event_at, detected_at, declared_at, next_update_due_at, created_by, updated_at,
               acknowledged_at)
             VALUES ($1, (SELECT COALESCE(MAX(number), 0) + 1 FROM incidents WHERE org_id = $1),
               $2, $3, $4, $5::jsonb, $6, $7, $8, $9, $10, $11, $12, $13, $11, $14) RETURNING id`,
            [
              input.orgId,
              input.title,
              input.severity,
              input.status ?? 'triage',
              JSON.stringify(input.services ?? []),
              input.ticketUrl ?? null,
              input.channelUrl ?? null,
              input.detectionSource ?? null,
              input.firstEventAt ?? null,
              input.detectedAt ?? null,
              input.now,
              input.nextUpdateDueAt ?? null,
              input.createdBy,
              input.acknowledgedAt ?? null,
            ],
          );
          const id = Number(row?.id);
          await linkIssues(db, id, input.issueIds, input.now);
          await insertTimelineEntries(db, onIncident(id, input.entries), input.now);
          return (await first(db, 'SELECT * FROM incidents WHERE id = $1', [id])) as Incident;
        }),
      get: (orgId, number) =>
        first(pool, 'SELECT * FROM incidents WHERE org_id = $1 AND number = $2', [orgId, number]),
      getById: (id) => first(pool, 'SELECT * FROM incidents WHERE id = $1', [id]),
      list: async ({ orgId, statuses, limit, offset }) =>
        assembleIncidents(
          pool,
          await rows(
            pool,
            `SELECT * FROM incidents WHERE org_id = $1 AND ($2::text[] IS NULL OR status = ANY($2))
             ORDER BY number DESC LIMIT $3 OFFSET $4`,
            [orgId, statuses?.length ? statuses : null, limit, offset],
          ),
        ),
      listUnresolved: async () =>
        assembleIncidents(
          pool,
          await rows(pool, "SELECT * FROM incidents WHERE status NOT IN ('resolved', 'closed') ORDER BY id"),
        ),
      listByIssue: async (issueId) =>
        assembleIncidents(
          pool,
          await rows(
            pool,
            `SELECT i.* FROM incidents i JOIN incident_issues l ON l.incident_id = i.id
             WHERE l.issue_id = $1 ORDER BY i.id DESC`,
            [issueId],
          ),
        ),
      update: (id, change) =>
        inTransaction(pool, async (db) => {
          const sets = fieldParams(change.fields ?? {});
          const setSql = sets
            .map((s, i) => `${s.column} = $${i + 1}${s.column === 'services' ? '::jsonb' : ''}, `)
            .join('');
          const n = sets.length;
          const result = await db.query(
            `UPDATE incidents SET ${setSql}version = version + 1, updated_at = $${n + 1}
             WHERE id = $${n + 2} AND ($${n + 3}::bigint IS NULL OR version = $${n + 3})`,
            [...sets.map((s) => s.value), change.now, id, change.expectedVersion ?? null],
          );
          if ((result.rowCount ?? 0) === 0) return null;
          for (const { role, userId } of change.roles ?? []) {
            if (userId === null)
              await db.query('DELETE FROM incident_roles WHERE incident_id = $1 AND role = $2', [id, role]);
            else
              await db.query(
                `INSERT INTO incident_roles (incident_id, role, user_id, assigned_at) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (incident_id, role) DO UPDATE SET user_id = excluded.user_id, assigned_at = excluded.assigned_at`,
                [id, role, userId, change.now],
              );
          }
          await linkIssues(db, id, change.linkIssues ?? [], change.now);
          if (change.unlinkIssues?.length)
            await db.query(
              'DELETE FROM incident_issues WHERE incident_id = $1 AND issue_id = ANY($2::bigint[])',
              [id, change.unlinkIssues],
            );
          const written = await insertTimelineEntries(db, onIncident(id, change.entries), change.now);
          const updated = await first(db, 'SELECT * FROM incidents WHERE id = $1', [id]);
          return updated && { ...updated, written };
        }),
    },
    timeline: {
      list: async (incidentId) =>
        (
          await rows(
            pool,
            'SELECT * FROM incident_timeline WHERE incident_id = $1 ORDER BY occurred_at, id',
            [incidentId],
          )
        ).map(toTimelineEntry),
      get: async (entryId) => {
        const row = await one(pool, 'SELECT * FROM incident_timeline WHERE id = $1', [entryId]);
        return row ? toTimelineEntry(row) : null;
      },
      add: (incidentId, entries, now) =>
        inTransaction(pool, (db) => insertTimelineEntries(db, onIncident(incidentId, entries), now)),
      edit: (entryId, change) =>
        inTransaction(pool, async (db) => {
          const row = await one(db, 'SELECT * FROM incident_timeline WHERE id = $1 FOR UPDATE', [entryId]);
          if (!row) return null;
          if (change.body !== undefined && change.body !== row.body) {
            await db.query(
              'INSERT INTO incident_timeline_edits (entry_id, previous_body, actor, edited_at) VALUES ($1, $2, $3, $4)',
              [entryId, String(row.body), change.actor, change.now],
            );
            await db.query('UPDATE incident_timeline SET body = $1, edited_at = $2 WHERE id = $3', [
              change.body,
              change.now,
              entryId,
            ]);
          }
          if (change.starred !== undefined)
            await db.query('UPDATE incident_timeline SET starred = $1 WHERE id = $2', [
              change.starred,
              entryId,
            ]);
          const updated = await one(db, 'SELECT * FROM incident_timeline WHERE id = $1', [entryId]);
          return updated ? toTimelineEntry(updated) : null;
        }),
      edits: async (entryId) =>
        (
          await rows(pool, 'SELECT * FROM incident_timeline_edits WHERE entry_id = $1 ORDER BY id', [entryId])
        ).map(toTimelineEdit),
    },
    incidentSettings: {
      get: async (orgId) => {
        const row = await one(pool, 'SELECT settings FROM incident_settings WHERE org_id = $1', [orgId]);
        return row ? (row.settings as Record<string, unknown>) : null;
      },
      put: async (orgId, settings, now) => {
        await pool.query(
          `INSERT INTO incident_settings (org_id, settings, updated_at) VALUES ($1, $2::jsonb, $3)
           ON CONFLICT (org_id) DO UPDATE SET settings = excluded.settings, updated_at = excluded.updated_at`,
          [orgId, JSON.stringify(settings), now],
        );
      },
    },
    mitigationHooks: {
      get: async (projectId) => {
        const row = await one(pool, 'SELECT * FROM mitigation_hooks WHERE project_id = $1', [projectId]);
        return row ? toMitigationHook(row) : null;
      },
      put: async (hook) => {
        await pool.query(
          `INSERT INTO mitigation_hooks (project_id, url, secret, command, updated_at) VALUES ($1, $2, $3, $4::jsonb, $5)
           ON CONFLICT (project_id) DO UPDATE SET url = excluded.url, secret = excluded.secret,
             command = excluded.command, updated_at = excluded.updated_at`,
          [
            hook.projectId,
            hook.url,
            hook.secret,
            hook.command === null ? null : JSON.stringify(hook.command),
            hook.updatedAt,
          ],
        );
      },
      delete: async (projectId) =>
        ((await pool.query('DELETE FROM mitigation_hooks WHERE project_id = $1', [projectId])).rowCount ??
          0) > 0,
    },
    signals: {
      deploys: async ({ projectIds, start, end, limit }) =>
        (
          await rows(
            pool,
            `SELECT d.id, r.version, d.environment, d.date_finished,
               (SELECT array_agg(project_id ORDER BY project_id) FROM deploy_projects WHERE deploy_id = d.id) AS project_ids
             FROM deploys d JOIN releases r ON r.id = d.release_id
             WHERE d.date_finished >= $1 AND d.date_finished < $2
               AND EXISTS (SELECT 1 FROM deploy_projects p WHERE p.deploy_id = d.id AND p.project_id = ANY($3::bigint[]))
             ORDER BY d.date_finished DESC, d.id DESC LIMIT $4`,
            [start, end, projectIds, limit],
          )
        ).map((row) => ({
          id: Number(row.id),
          version: String(row.version),
          environment: String(row.environment),
          dateFinished: Number(row.date_finished),
          projectIds: ((row.project_ids as unknown[]) ?? []).map(Number),
        })),
      issueCounts: async ({ projectIds, start, end }) => {
        const result = await rows(
          pool,
          `SELECT issue_id, SUM(count) AS n FROM issue_buckets_minute
           WHERE start >= $1 AND start < $2 AND project_id = ANY($3::bigint[]) GROUP BY issue_id`,
          [start, end, projectIds],
        );
        return new Map(result.map((row) => [Number(row.issue_id), Number(row.n)]));
      },
    },
  };
}
