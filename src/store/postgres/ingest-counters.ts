import type { PoolClient } from 'pg';
import type { IngestTx } from '../types.ts';
import { mergeBuckets, mergeOutcomes, mergeSightings, mergeTagValues } from './aggregate.ts';
import { runStatement, type Statement } from './write-behind.ts';

/**
 * The set-oriented upserts of IngestTx, each one multi-row statement over unnest()ed arrays,
 * built rather than run: the ingest transaction sends them together (write-behind.ts). Each
 * statement writes its own tables and reads none that another one writes.
 */
type Rows<K extends keyof IngestTx> = Parameters<IngestTx[K]>[0];

export function issueBucketsStatement(rows: Rows<'addIssueBuckets'>): Statement | null {
  if (rows.length === 0) return null;
  const minute = mergeBuckets(rows, 'minute');
  const hour = mergeBuckets(rows, 'hour');
  return {
    kind: 'issue_buckets',
    ctes: [
      `minute_buckets AS (
         INSERT INTO issue_buckets_minute (issue_id, start, project_id, count)
         SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::bigint[])
         ON CONFLICT (issue_id, start) DO UPDATE SET count = issue_buckets_minute.count + excluded.count
       )`,
    ],
    sql: `INSERT INTO issue_buckets_hour (issue_id, start, project_id, count)
     SELECT * FROM unnest($5::bigint[], $6::bigint[], $7::bigint[], $8::bigint[])
     ON CONFLICT (issue_id, start) DO UPDATE SET count = issue_buckets_hour.count + excluded.count`,
    values: [
      minute.map((r) => r.issueId),
      minute.map((r) => r.start),
      minute.map((r) => r.projectId),
      minute.map((r) => r.count),
      hour.map((r) => r.issueId),
      hour.map((r) => r.start),
      hour.map((r) => r.projectId),
      hour.map((r) => r.count),
    ],
  };
}

export function tagValuesStatement(rows: Rows<'addTagValues'>): Statement | null {
  if (rows.length === 0) return null;
  const merged = mergeTagValues(rows);
  return {
    kind: 'issue_tag_values',
    sql: `INSERT INTO issue_tag_values (issue_id, key, value, count, first_seen, last_seen)
     SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::bigint[], $5::bigint[], $6::bigint[])
     ON CONFLICT (issue_id, key, value) DO UPDATE SET
       count = issue_tag_values.count + excluded.count,
       first_seen = LEAST(issue_tag_values.first_seen, excluded.first_seen),
       last_seen = GREATEST(issue_tag_values.last_seen, excluded.last_seen)`,
    values: [
      merged.map((r) => r.issueId),
      merged.map((r) => r.key),
      merged.map((r) => r.value),
      merged.map((r) => r.count),
      merged.map((r) => r.firstSeen),
      merged.map((r) => r.lastSeen),
    ],
  };
}

/** Returns each inserted (new) user's issue id: `addIssueUsers` counts them per issue. */
export function issueUsersStatement(rows: Rows<'addIssueUsers'>): Statement {
  return {
    kind: 'issue_users',
    sql: `INSERT INTO issue_users (issue_id, user_key, first_seen)
     SELECT * FROM unnest($1::bigint[], $2::text[], $3::bigint[])
     ON CONFLICT (issue_id, user_key) DO NOTHING RETURNING issue_id`,
    values: [rows.map((r) => r.issueId), rows.map((r) => r.userKey), rows.map((r) => r.seenAt)],
  };
}

/**
 * Upserts the releases and links them to their projects in one statement. The links read the
 * upsert's RETURNING for rows it inserted or moved, and the table for the rest: a statement does
 * not see its own CTEs' writes in the table.
 */
export function releasesStatement(rows: Rows<'ensureReleases'>): Statement | null {
  if (rows.length === 0) return null;
  const merged = mergeSightings(rows, (row) => row.version);
  const links = merged.flatMap((r) => [...r.projectIds].map((projectId) => ({ ...r, projectId })));
  return {
    kind: 'releases',
    ctes: [
      `release_upserts AS (
         INSERT INTO releases (org_id, version, first_seen, last_seen, date_created)
         SELECT * FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::bigint[], $8::bigint[])
         ON CONFLICT (org_id, version) DO UPDATE SET
           first_seen = LEAST(releases.first_seen, excluded.first_seen),
           last_seen = GREATEST(releases.last_seen, excluded.last_seen)
         WHERE excluded.first_seen < releases.first_seen OR excluded.last_seen > releases.last_seen
         RETURNING id, org_id, version
       )`,
    ],
    sql: `INSERT INTO release_projects (release_id, project_id)
     SELECT COALESCE(u.id, r.id), l.project_id
     FROM unnest($5::bigint[], $6::text[], $7::bigint[]) AS l(org_id, version, project_id)
     LEFT JOIN release_upserts u ON u.org_id = l.org_id AND u.version = l.version
     LEFT JOIN releases r ON r.org_id = l.org_id AND r.version = l.version
     WHERE COALESCE(u.id, r.id) IS NOT NULL
     ON CONFLICT DO NOTHING`,
    values: [
      merged.map((r) => r.orgId),
      merged.map((r) => r.name),
      merged.map((r) => r.firstSeen),
      merged.map((r) => r.lastSeen),
      links.map((l) => l.orgId),
      links.map((l) => l.name),
      links.map((l) => l.projectId),
      // Created when first received (server time), whatever the events' own clocks say.
      merged.map((r) => r.receivedAt),
    ],
  };
}

/** Like releasesStatement: environments upserted and linked to their projects in one statement. */
export function environmentsStatement(rows: Rows<'ensureEnvironments'>): Statement | null {
  if (rows.length === 0) return null;
  const merged = mergeSightings(rows, (row) => row.name);
  const links = merged.flatMap((r) => [...r.projectIds].map((projectId) => ({ ...r, projectId })));
  return {
    kind: 'environments',
    ctes: [
      `environment_upserts AS (
         INSERT INTO environments (org_id, name, first_seen)
         SELECT * FROM unnest($1::bigint[], $2::text[], $3::bigint[])
         ON CONFLICT (org_id, name) DO UPDATE SET first_seen = excluded.first_seen
         WHERE excluded.first_seen < environments.first_seen
         RETURNING id, org_id, name
       )`,
    ],
    sql: `INSERT INTO environment_projects (environment_id, project_id)
     SELECT COALESCE(u.id, e.id), l.project_id
     FROM unnest($4::bigint[], $5::text[], $6::bigint[]) AS l(org_id, name, project_id)
     LEFT JOIN environment_upserts u ON u.org_id = l.org_id AND u.name = l.name
     LEFT JOIN environments e ON e.org_id = l.org_id AND e.name = l.name
     WHERE COALESCE(u.id, e.id) IS NOT NULL
     ON CONFLICT DO NOTHING`,
    values: [
      merged.map((r) => r.orgId),
      merged.map((r) => r.name),
      merged.map((r) => r.firstSeen),
      links.map((l) => l.orgId),
      links.map((l) => l.name),
      links.map((l) => l.projectId),
    ],
  };
}

export function activitiesStatement(rows: Rows<'addActivities'>): Statement | null {
  if (rows.length === 0) return null;
  return {
    kind: 'issue_activities',
    sql: `INSERT INTO issue_activities (issue_id, type, data, actor, created_at)
     SELECT issue_id, type, data::jsonb, actor, created_at
     FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::bigint[])
       AS a(issue_id, type, data, actor, created_at)`,
    values: [
      rows.map((r) => r.issueId),
      rows.map((r) => r.type),
      rows.map((r) => JSON.stringify(r.data)),
      rows.map((r) => r.actor),
      rows.map((r) => r.createdAt),
    ],
  };
}

/** For writes outside ingest (issue status changes). */
export async function addActivities(client: PoolClient, rows: Rows<'addActivities'>): Promise<void> {
  const statement = activitiesStatement(rows);
  if (statement) await runStatement(client, statement);
}

export function userIdentitiesStatement(rows: Rows<'addUserIdentities'>): Statement | null {
  if (rows.length === 0) return null;
  return {
    kind: 'user_identities',
    sql: `INSERT INTO user_identities (project_id, field, value, user_key)
     SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[])
     ON CONFLICT DO NOTHING`,
    values: [
      rows.map((r) => r.projectId),
      rows.map((r) => r.field),
      // PostgreSQL text cannot hold NUL; a user's identity is the SDK's text.
      rows.map((r) => r.value.replaceAll('\0', '\uFFFD')),
      rows.map((r) => r.userKey.replaceAll('\0', '\uFFFD')),
    ],
  };
}

export function outcomesStatement(rows: Rows<'addOutcomes'>): Statement | null {
  if (rows.length === 0) return null;
  const merged = mergeOutcomes(rows);
  return {
    kind: 'ingest_outcomes',
    sql: `INSERT INTO ingest_outcomes (project_id, item_type, outcome, day, count)
     SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::bigint[], $5::bigint[])
     ON CONFLICT (project_id, item_type, outcome, day) DO UPDATE SET count = ingest_outcomes.count + excluded.count`,
    values: [
      merged.map((r) => r.projectId),
      merged.map((r) => r.itemType),
      merged.map((r) => r.outcome),
      merged.map((r) => r.day),
      merged.map((r) => r.count),
    ],
  };
}
