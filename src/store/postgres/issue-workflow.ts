import type pg from 'pg';
import { distinctUsers, likePattern } from '../sql-text.ts';
import { summarizeTagRows } from '../tag-rows.ts';
import type { IssueWorkflow, IssueWorkflowStore, StatusDetails, TagValueSort } from '../types-issues.ts';
import { one, type Row, rows } from './pool.ts';
import { toActivity, toTagValueCount } from './rows.ts';

type WorkflowReads = Omit<IssueWorkflowStore, 'update' | 'delete' | 'addNote'>;

const VALUE_ORDER: Record<TagValueSort, string> = {
  count: 'count DESC, value COLLATE "C"',
  date: 'last_seen DESC, value COLLATE "C"',
  age: 'first_seen DESC, value COLLATE "C"',
};

export function createIssueWorkflowReads(pool: pg.Pool): WorkflowReads {
  return {
    async workflow(issueIds) {
      const found = await rows(
        pool,
        `SELECT i.id, i.status, i.status_details, i.assignee_user_id, i.assignee_team_id,
           (SELECT count(*) FROM issue_activities a WHERE a.issue_id = i.id AND a.type = 'note') AS notes,
           EXISTS (SELECT 1 FROM issue_tag_values t WHERE t.issue_id = i.id AND t.key = 'handled' AND t.value = 'no')
             AS unhandled
         FROM issues i WHERE i.id = ANY($1::bigint[])`,
        [issueIds],
      );
      return new Map(found.map((row) => [Number(row.id), toWorkflow(row)]));
    },
    async notes(issueId, page) {
      const found = await rows(
        pool,
        `SELECT * FROM issue_activities WHERE issue_id = $1 AND type = 'note'
         ORDER BY created_at DESC, id DESC LIMIT $2 OFFSET $3`,
        [issueId, page.limit, page.offset],
      );
      return found.map(toActivity);
    },
    async tagSummary(issueId, options) {
      const found = await rows(
        pool,
        `WITH wanted AS (
           SELECT * FROM issue_tag_values WHERE issue_id = $1 AND ($2::text[] IS NULL OR key = ANY($2::text[]))
         ), totals AS (
           SELECT key, sum(count) AS total, count(*) AS uniq FROM wanted GROUP BY key
         ), ranked AS (
           SELECT *, row_number() OVER (PARTITION BY key ORDER BY count DESC, value COLLATE "C") AS n FROM wanted
         )
         SELECT t.key, t.total, t.uniq, r.value, r.count, r.first_seen, r.last_seen
         FROM totals t JOIN ranked r ON r.key = t.key AND r.n <= $3 ORDER BY t.key COLLATE "C", r.n`,
        [issueId, options.keys ?? null, options.top],
      );
      return summarizeTagRows(found);
    },
    async tagValuePage(issueId, key, page) {
      const found = await rows(
        pool,
        `SELECT * FROM issue_tag_values WHERE issue_id = $1 AND key = $2
         ORDER BY ${VALUE_ORDER[page.sort]} LIMIT $3 OFFSET $4`,
        [issueId, key, page.limit, page.offset],
      );
      return found.map(toTagValueCount);
    },
    async tagKeyExists(projectIds, key) {
      const row = await one(
        pool,
        `SELECT 1 AS found FROM issues i
         WHERE i.project_id = ANY($1::bigint[])
           AND EXISTS (SELECT 1 FROM issue_tag_values t WHERE t.issue_id = i.id AND t.key = $2)
         LIMIT 1`,
        [projectIds, key],
      );
      return row !== undefined;
    },
    async userKeysWithIdentity(projectIds, field, values, limit) {
      // Exact values and patterns apart: an OR would keep the value out of the index (a scan of
      // every identity of the field).
      const exact = values.filter((v) => !v.includes('*'));
      const patterns = values.filter((v) => v.includes('*')).map(likePattern);
      const read = (match: string, wanted: string[]) =>
        rows<{ project_id: string; user_key: string }>(
          pool,
          `SELECT DISTINCT project_id, user_key FROM user_identities
           WHERE project_id = ANY($1::bigint[]) AND field = $2 AND ${match}
           LIMIT $4`,
          [projectIds, field, wanted, limit],
        );
      const found = [
        ...(exact.length === 0 ? [] : await read('value = ANY($3::text[])', exact)),
        ...(patterns.length === 0 ? [] : await read('value LIKE ANY($3::text[])', patterns)),
      ];
      return distinctUsers(
        found.map((row) => ({ projectId: Number(row.project_id), userKey: row.user_key })),
        limit,
      );
    },
    async usersSince(issueId, since) {
      const row = await one<{ n: number }>(
        pool,
        'SELECT count(*) AS n FROM issue_users WHERE issue_id = $1 AND first_seen >= $2',
        [issueId, since],
      );
      return Number(row?.n ?? 0);
    },
    async latestReleases(orgId, projectIds) {
      // Per project, walks the organisation's releases newest first (releases_org_created).
      const found = await rows(
        pool,
        `SELECT p.id AS project_id, r.version, r.date_created
         FROM unnest($1::bigint[]) AS p(id) CROSS JOIN LATERAL (
           SELECT x.version, coalesce(x.date_created, x.first_seen) AS date_created FROM releases x
           WHERE x.org_id = $2 AND x.status = 'open'
             AND EXISTS (SELECT 1 FROM release_projects rp WHERE rp.release_id = x.id AND rp.project_id = p.id)
           ORDER BY coalesce(x.date_created, x.first_seen) DESC, x.id DESC LIMIT 1) r`,
        [projectIds, orgId],
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
  const details = row.status_details as StatusDetails | null;
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
