import type { SQLInputValue } from 'node:sqlite';
import {
  fieldParams,
  onIncident,
  toMitigationHook,
  toTimelineEdit,
  toTimelineEntry,
} from '../incident-rows.ts';
import type { Incident, IncidentsStore, SignalsStore } from '../types-incidents.ts';
import type { SqliteConnection, SqliteHandles } from './connection.ts';
import { writeTransaction } from './connection.ts';
import { assembleIncidents, insertTimelineEntries } from './incidents-rows.ts';

type Row = Record<string, unknown>;

function linkIssues(db: SqliteConnection, incidentId: number, issueIds: number[], now: number): void {
  for (const issueId of issueIds) {
    db.run(
      'INSERT INTO incident_issues (incident_id, issue_id, linked_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
      incidentId,
      issueId,
      now,
    );
  }
}

const one = (db: SqliteConnection, sql: string, ...params: SQLInputValue[]): Incident | null =>
  assembleIncidents(db, db.all<Row>(sql, ...params))[0] ?? null;

export function createIncidents(h: SqliteHandles): IncidentsStore & SignalsStore {
  const read = h.reader;
  return {
    incidents: {
      create: (input) =>
        writeTransaction(h, (db) => {
          const next = db.get<{ n: number }>(
            'SELECT COALESCE(MAX(number), 0) + 1 AS n FROM incidents WHERE org_id = ?',
            input.orgId,
          );
          const row = db.get<Row>(
            `INSERT INTO incidents (org_id, number, title, severity, status, services, ticket_url, channel_url,
               detection_source, first_event_at, detected_at, declared_at, next_update_due_at, created_by, updated_at,
               acknowledged_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
            input.orgId,
            Number(next?.n ?? 1),
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
            input.now,
            input.acknowledgedAt ?? null,
          );
          const id = Number(row?.id);
          linkIssues(db, id, input.issueIds, input.now);
          insertTimelineEntries(db, onIncident(id, input.entries), input.now);
          return one(db, 'SELECT * FROM incidents WHERE id = ?', id) as Incident;
        }),
      get: async (orgId, number) =>
        one(read, 'SELECT * FROM incidents WHERE org_id = ? AND number = ?', orgId, number),
      getById: async (id) => one(read, 'SELECT * FROM incidents WHERE id = ?', id),
      list: async ({ orgId, statuses, limit, offset }) => {
        const statusList = statuses ?? [];
        const marks = statusList.map(() => '?').join(',');
        return assembleIncidents(
          read,
          read.all<Row>(
            `SELECT * FROM incidents WHERE org_id = ? ${statusList.length ? `AND status IN (${marks})` : ''}
             ORDER BY number DESC LIMIT ? OFFSET ?`,
            orgId,
            ...statusList,
            limit,
            offset,
          ),
        );
      },
      listUnresolved: async () =>
        assembleIncidents(
          read,
          read.all<Row>("SELECT * FROM incidents WHERE status NOT IN ('resolved', 'closed') ORDER BY id"),
        ),
      listByIssue: async (issueId) =>
        assembleIncidents(
          read,
          read.all<Row>(
            `SELECT i.* FROM incidents i JOIN incident_issues l ON l.incident_id = i.id
             WHERE l.issue_id = ? ORDER BY i.id DESC`,
            issueId,
          ),
        ),
      update: (id, change) =>
        writeTransaction(h, (db) => {
          const sets = fieldParams(change.fields ?? {});
          const result = db.run(
            `UPDATE incidents SET ${sets.map((s) => `${s.column} = ?, `).join('')}version = version + 1, updated_at = ?
             WHERE id = ? AND (? IS NULL OR version = ?)`,
            ...sets.map((s) => s.value),
            change.now,
            id,
            change.expectedVersion ?? null,
            change.expectedVersion ?? null,
          );
          if (result === 0) return null;
          for (const { role, userId } of change.roles ?? []) {
            if (userId === null)
              db.run('DELETE FROM incident_roles WHERE incident_id = ? AND role = ?', id, role);
            else
              db.run(
                `INSERT INTO incident_roles (incident_id, role, user_id, assigned_at) VALUES (?, ?, ?, ?)
                 ON CONFLICT (incident_id, role) DO UPDATE SET user_id = excluded.user_id, assigned_at = excluded.assigned_at`,
                id,
                role,
                userId,
                change.now,
              );
          }
          linkIssues(db, id, change.linkIssues ?? [], change.now);
          for (const issueId of change.unlinkIssues ?? [])
            db.run('DELETE FROM incident_issues WHERE incident_id = ? AND issue_id = ?', id, issueId);
          const written = insertTimelineEntries(db, onIncident(id, change.entries), change.now);
          const updated = one(db, 'SELECT * FROM incidents WHERE id = ?', id);
          return updated && { ...updated, written };
        }),
    },
    timeline: {
      list: async (incidentId) =>
        read
          .all<Row>(
            'SELECT * FROM incident_timeline WHERE incident_id = ? ORDER BY occurred_at, id',
            incidentId,
          )
          .map(toTimelineEntry),
      get: async (entryId) => {
        const row = read.get<Row>('SELECT * FROM incident_timeline WHERE id = ?', entryId);
        return row ? toTimelineEntry(row) : null;
      },
      add: (incidentId, entries, now) =>
        writeTransaction(h, (db) => insertTimelineEntries(db, onIncident(incidentId, entries), now)),
      edit: (entryId, change) =>
        writeTransaction(h, (db) => {
          const row = db.get<Row>('SELECT * FROM incident_timeline WHERE id = ?', entryId);
          if (!row) return null;
          if (change.body !== undefined && change.body !== row.body) {
            db.run(
              'INSERT INTO incident_timeline_edits (entry_id, previous_body, actor, edited_at) VALUES (?, ?, ?, ?)',
              entryId,
              String(row.body),
              change.actor,
              change.now,
            );
            db.run(
              'UPDATE incident_timeline SET body = ?, edited_at = ? WHERE id = ?',
              change.body,
              change.now,
              entryId,
            );
          }
          if (change.starred !== undefined)
            db.run('UPDATE incident_timeline SET starred = ? WHERE id = ?', change.starred ? 1 : 0, entryId);
          const updated = db.get<Row>('SELECT * FROM incident_timeline WHERE id = ?', entryId);
          return updated ? toTimelineEntry(updated) : null;
        }),
      edits: async (entryId) =>
        read
          .all<Row>('SELECT * FROM incident_timeline_edits WHERE entry_id = ? ORDER BY id', entryId)
          .map(toTimelineEdit),
    },
    incidentSettings: {
      get: async (orgId) => {
        const row = read.get<Row>('SELECT settings FROM incident_settings WHERE org_id = ?', orgId);
        return row ? JSON.parse(String(row.settings)) : null;
      },
      put: (orgId, settings, now) =>
        writeTransaction(h, (db) => {
          db.run(
            `INSERT INTO incident_settings (org_id, settings, updated_at) VALUES (?, ?, ?)
             ON CONFLICT (org_id) DO UPDATE SET settings = excluded.settings, updated_at = excluded.updated_at`,
            orgId,
            JSON.stringify(settings),
            now,
          );
        }),
    },
    mitigationHooks: {
      get: async (projectId) => {
        const row = read.get<Row>('SELECT * FROM mitigation_hooks WHERE project_id = ?', projectId);
        return row ? toMitigationHook(row) : null;
      },
      put: (hook) =>
        writeTransaction(h, (db) => {
          db.run(
            `INSERT INTO mitigation_hooks (project_id, url, secret, command, updated_at) VALUES (?, ?, ?, ?, ?)
             ON CONFLICT (project_id) DO UPDATE SET url = excluded.url, secret = excluded.secret,
               command = excluded.command, updated_at = excluded.updated_at`,
            hook.projectId,
            hook.url,
            hook.secret,
            hook.command === null ? null : JSON.stringify(hook.command),
            hook.updatedAt,
          );
        }),
      delete: (projectId) =>
        writeTransaction(
          h,
          (db) => db.run('DELETE FROM mitigation_hooks WHERE project_id = ?', projectId) > 0,
        ),
    },
    signals: {
      deploys: async ({ projectIds, start, end, limit }) => {
        if (projectIds.length === 0) return [];
        const marks = projectIds.map(() => '?').join(',');
        const rows = read.all<Row>(
          `SELECT d.id, r.version, d.environment, d.date_finished,
             (SELECT json_group_array(project_id) FROM deploy_projects WHERE deploy_id = d.id) AS project_ids
           FROM deploys d JOIN releases r ON r.id = d.release_id
           WHERE d.date_finished >= ? AND d.date_finished < ?
             AND EXISTS (SELECT 1 FROM deploy_projects p WHERE p.deploy_id = d.id AND p.project_id IN (${marks}))
           ORDER BY d.date_finished DESC, d.id DESC LIMIT ?`,
          start,
          end,
          ...projectIds,
          limit,
        );
        return rows.map((row) => ({
          id: Number(row.id),
          version: String(row.version),
          environment: String(row.environment),
          dateFinished: Number(row.date_finished),
          projectIds: (JSON.parse(String(row.project_ids)) as number[]).map(Number),
        }));
      },
      issueCounts: async ({ projectIds, start, end }) => {
        const counts = new Map<number, number>();
        if (projectIds.length === 0) return counts;
        const marks = projectIds.map(() => '?').join(',');
        const rows = read.all<Row>(
          `SELECT issue_id, SUM(count) AS n FROM issue_buckets_minute
           WHERE start >= ? AND start < ? AND project_id IN (${marks}) GROUP BY issue_id`,
          start,
          end,
          ...projectIds,
        );
        for (const row of rows) counts.set(Number(row.issue_id), Number(row.n));
        return counts;
      },
    },
  };
}
