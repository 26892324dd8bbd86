import { distinctUsers, globPattern } from '../sql-text.ts';
import { summarizeTagRows, toTagValueCount } from '../tag-rows.ts';
import type { IssueWorkflow, IssueWorkflowStore, StatusDetails, TagValueSort } from '../types-issues.ts';
import type { SqliteConnection } from './connection.ts';
import { toActivity } from './rows.ts';

type Row = Record<string, unknown>;
type WorkflowReads = Omit<IssueWorkflowStore, 'update' | 'delete' | 'addNote'>;

const VALUE_ORDER: Record<TagValueSort, string> = {
  count: 'count DESC, value',
  date: 'last_seen DESC, value',
  age: 'first_seen DESC, value',
};

export function createIssueWorkflowReads(db: SqliteConnection): WorkflowReads {
  return {
    async workflow(issueIds) {
      const rows = db.all<Row>(
        `SELECT i.id, i.status, i.status_details, i.assignee_user_id, i.assignee_team_id,
           (SELECT count(*) FROM issue_activities a WHERE a.issue_id = i.id AND a.type = 'note') AS notes,
           EXISTS (SELECT 1 FROM issue_tag_values t WHERE t.issue_id = i.id AND t.key = 'handled' AND t.value = 'no')
             AS unhandled
         FROM issues i WHERE i.id IN (SELECT value FROM json_each(?))`,
        JSON.stringify(issueIds),
      );
      return new Map(rows.map((row) => [Number(row.id), toWorkflow(row)]));
    },
    async notes(issueId, page) {
      return db
        .all<Row>(
          `SELECT * FROM issue_activities WHERE issue_id = ? AND type = 'note'
           ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?`,
          issueId,
          page.limit,
          page.offset,
        )
        .map(toActivity);
    },
    async tagSummary(issueId, options) {
      const keys = options.keys ? JSON.stringify(options.keys) : null;
      const rows = db.all<Row>(
        `WITH wanted AS (
           SELECT * FROM issue_tag_values
           WHERE issue_id = ?1 AND (?2 IS NULL OR key IN (SELECT value FROM json_each(?2)))
         ), totals AS (
           SELECT key, sum(count) AS total, count(*) AS uniq FROM wanted GROUP BY key
         ), ranked AS (
           SELECT *, row_number() OVER (PARTITION BY key ORDER BY count DESC, value) AS n FROM wanted
         )
         SELECT t.key, t.total, t.uniq, r.value, r.count, r.first_seen, r.last_seen
         FROM totals t JOIN ranked r ON r.key = t.key AND r.n <= ?3 ORDER BY t.key, r.n`,
        issueId,
        keys,
        options.top,
      );
      return summarizeTagRows(rows);
    },
    async tagValuePage(issueId, key, page) {
      return db
        .all<Row>(
          `SELECT * FROM issue_tag_values WHERE issue_id = ? AND key = ?
           ORDER BY ${VALUE_ORDER[page.sort]} LIMIT ? OFFSET ?`,
          issueId,
          key,
          page.limit,
          page.offset,
        )
        .map(toTagValueCount);
    },
    async tagKeyExists(projectIds, key) {
      const row = db.get<Row>(
        `SELECT 1 AS found FROM issues i
         WHERE i.project_id IN (SELECT value FROM json_each(?))
           AND EXISTS (SELECT 1 FROM issue_tag_values t WHERE t.issue_id = i.id AND t.key = ?)
         LIMIT 1`,
        JSON.stringify(projectIds),
        key,
      );
      return row !== undefined;
    },
    async userKeysWithIdentity(projectIds, field, values, limit) {
      // Exact values and patterns apart: an OR would keep the value out of the index (a scan of
      // every identity of the field).
      const exact = values.filter((v) => !v.includes('*'));
      const patterns = values.filter((v) => v.includes('*')).map(globPattern);
      const projects = JSON.stringify(projectIds);
      const found = [
        ...(exact.length === 0
          ? []
          : db.all<Row>(
              `SELECT DISTINCT project_id, user_key FROM user_identities
               WHERE project_id IN (SELECT value FROM json_each(?)) AND field = ?
                 AND value IN (SELECT value FROM json_each(?))
               LIMIT ?`,
              projects,
              field,
              JSON.stringify(exact),
              limit,
            )),
        ...(patterns.length === 0
          ? []
          : db.all<Row>(
              `SELECT DISTINCT project_id, user_key FROM user_identities
               WHERE project_id IN (SELECT value FROM json_each(?)) AND field = ?
                 AND EXISTS (SELECT 1 FROM json_each(?) p WHERE user_identities.value GLOB p.value)
               LIMIT ?`,
              projects,
              field,
              JSON.stringify(patterns),
              limit,
            )),
      ];
      return distinctUsers(
        found.map((row) => ({ projectId: Number(row.project_id), userKey: String(row.user_key) })),
        limit,
      );
    },
    async usersSince(issueId, since) {
      const row = db.get<Row>(
        'SELECT count(*) AS n FROM issue_users WHERE issue_id = ? AND first_seen >= ?',
        issueId,
        since,
      );
      return Number(row?.n ?? 0);
    },
    async latestReleases(orgId, projectIds) {
      // Per project, walks the organisation's releases newest first (releases_org_created).
      const found = db.all<Row>(
        `SELECT p.value AS project_id, r.version, coalesce(r.date_created, r.first_seen) AS date_created
         FROM json_each(?) p JOIN releases r ON r.id = (
           SELECT x.id FROM releases x
           WHERE x.org_id = ? AND x.status = 'open'
             AND EXISTS (SELECT 1 FROM release_projects rp WHERE rp.release_id = x.id AND rp.project_id = p.value)
           ORDER BY coalesce(x.date_created, x.first_seen) DESC, x.id DESC LIMIT 1)`,
        JSON.stringify(projectIds),
        orgId,
      );
      return new Map(
        found.map((row) => [
          Number(row.project_id),
          { version: String(row.version), dateCreated: Number(row.date_created) },
        ]),
      );
    },
  };
}

function toWorkflow(row: Row): IssueWorkflow {
  const details =
    row.status_details === null ? null : (JSON.parse(String(row.status_details)) as StatusDetails);
  return {
    issueId: Number(row.id),
    // Details describe the status they were written with; a later status change by ingest
    // (regression, escalation) leaves them stale, so they only count while the status matches.
    statusDetails: details?.kind === row.status ? details : null,
    assignee: {
      userId: row.assignee_user_id === null ? null : Number(row.assignee_user_id),
      teamId: row.assignee_team_id === null ? null : Number(row.assignee_team_id),
    },
    numComments: Number(row.notes),
    unhandled: Boolean(row.unhandled),
  };
}
