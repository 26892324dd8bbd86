import type { PoolClient } from 'pg';
import type { IngestTx } from '../types.ts';
import { mergeBuckets, mergeOutcomes, mergeSightings, mergeTagValues } from './aggregate.ts';
import { rows as select } from './pool.ts';

/** The set-oriented upserts of IngestTx: each is one multi-row statement over unnest()ed arrays. */
type Rows<K extends keyof IngestTx> = Parameters<IngestTx[K]>[0];

export async function addIssueBuckets(client: PoolClient, rows: Rows<'addIssueBuckets'>): Promise<void> {
  if (rows.length === 0) return;
  const minute = mergeBuckets(rows, 'minute');
  const hour = mergeBuckets(rows, 'hour');
  await client.query(
    `WITH minute AS (
       INSERT INTO issue_buckets_minute (issue_id, start, project_id, count)
       SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::bigint[])
       ON CONFLICT (issue_id, start) DO UPDATE SET count = issue_buckets_minute.count + excluded.count
     )
     INSERT INTO issue_buckets_hour (issue_id, start, project_id, count)
     SELECT * FROM unnest($5::bigint[], $6::bigint[], $7::bigint[], $8::bigint[])
     ON CONFLICT (issue_id, start) DO UPDATE SET count = issue_buckets_hour.count + excluded.count`,
    [
      minute.map((r) => r.issueId),
      minute.map((r) => r.start),
      minute.map((r) => r.projectId),
      minute.map((r) => r.count),
      hour.map((r) => r.issueId),
      hour.map((r) => r.start),
      hour.map((r) => r.projectId),
      hour.map((r) => r.count),
    ],
  );
}

export async function addTagValues(client: PoolClient, rows: Rows<'addTagValues'>): Promise<void> {
  if (rows.length === 0) return;
  const merged = mergeTagValues(rows);
  await client.query(
    `INSERT INTO issue_tag_values (issue_id, key, value, count, first_seen, last_seen)
     SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::bigint[], $5::bigint[], $6::bigint[])
     ON CONFLICT (issue_id, key, value) DO UPDATE SET
       count = issue_tag_values.count + excluded.count,
       first_seen = LEAST(issue_tag_values.first_seen, excluded.first_seen),
       last_seen = GREATEST(issue_tag_values.last_seen, excluded.last_seen)`,
    [
      merged.map((r) => r.issueId),
      merged.map((r) => r.key),
      merged.map((r) => r.value),
      merged.map((r) => r.count),
      merged.map((r) => r.firstSeen),
      merged.map((r) => r.lastSeen),
    ],
  );
}

export async function addIssueUsers(
  client: PoolClient,
  rows: Rows<'addIssueUsers'>,
): Promise<Map<number, number>> {
  const added = new Map<number, number>(rows.map((row) => [row.issueId, 0]));
  if (rows.length === 0) return added;
  const inserted = await select<{ issue_id: number }>(
    client,
    `INSERT INTO issue_users (issue_id, user_key, first_seen)
     SELECT * FROM unnest($1::bigint[], $2::text[], $3::bigint[])
     ON CONFLICT (issue_id, user_key) DO NOTHING RETURNING issue_id`,
    [rows.map((r) => r.issueId), rows.map((r) => r.userKey), rows.map((r) => r.seenAt)],
  );
  for (const row of inserted) added.set(row.issue_id, (added.get(row.issue_id) ?? 0) + 1);
  return added;
}

/** The links are a second statement: rows a statement upserts are invisible to its own joins. */
export async function ensureReleases(client: PoolClient, rows: Rows<'ensureReleases'>): Promise<void> {
  if (rows.length === 0) return;
  const merged = mergeSightings(rows, (row) => row.version);
  await client.query(
    `INSERT INTO releases (org_id, version, first_seen, last_seen)
     SELECT * FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::bigint[])
     ON CONFLICT (org_id, version) DO UPDATE SET
       first_seen = LEAST(releases.first_seen, excluded.first_seen),
       last_seen = GREATEST(releases.last_seen, excluded.last_seen)
     WHERE excluded.first_seen < releases.first_seen OR excluded.last_seen > releases.last_seen`,
    [
      merged.map((r) => r.orgId),
      merged.map((r) => r.name),
      merged.map((r) => r.firstSeen),
      merged.map((r) => r.lastSeen),
    ],
  );
  const links = merged.flatMap((r) => [...r.projectIds].map((projectId) => ({ ...r, projectId })));
  await client.query(
    `INSERT INTO release_projects (release_id, project_id)
     SELECT r.id, l.project_id FROM unnest($1::bigint[], $2::text[], $3::bigint[]) AS l(org_id, version, project_id)
     JOIN releases r ON r.org_id = l.org_id AND r.version = l.version
     ON CONFLICT DO NOTHING`,
    [links.map((l) => l.orgId), links.map((l) => l.name), links.map((l) => l.projectId)],
  );
}

export async function ensureEnvironments(
  client: PoolClient,
  rows: Rows<'ensureEnvironments'>,
): Promise<void> {
  if (rows.length === 0) return;
  const merged = mergeSightings(rows, (row) => row.name);
  await client.query(
    `INSERT INTO environments (org_id, name, first_seen)
     SELECT * FROM unnest($1::bigint[], $2::text[], $3::bigint[])
     ON CONFLICT (org_id, name) DO UPDATE SET first_seen = excluded.first_seen
     WHERE excluded.first_seen < environments.first_seen`,
    [merged.map((r) => r.orgId), merged.map((r) => r.name), merged.map((r) => r.firstSeen)],
  );
  const links = merged.flatMap((r) => [...r.projectIds].map((projectId) => ({ ...r, projectId })));
  await client.query(
    `INSERT INTO environment_projects (environment_id, project_id)
     SELECT e.id, l.project_id FROM unnest($1::bigint[], $2::text[], $3::bigint[]) AS l(org_id, name, project_id)
     JOIN environments e ON e.org_id = l.org_id AND e.name = l.name
     ON CONFLICT DO NOTHING`,
    [links.map((l) => l.orgId), links.map((l) => l.name), links.map((l) => l.projectId)],
  );
}

export async function addActivities(client: PoolClient, rows: Rows<'addActivities'>): Promise<void> {
  if (rows.length === 0) return;
  await client.query(
    `INSERT INTO issue_activities (issue_id, type, data, actor, created_at)
     SELECT issue_id, type, data::jsonb, actor, created_at
     FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::bigint[])
       AS a(issue_id, type, data, actor, created_at)`,
    [
      rows.map((r) => r.issueId),
      rows.map((r) => r.type),
      rows.map((r) => JSON.stringify(r.data)),
      rows.map((r) => r.actor),
      rows.map((r) => r.createdAt),
    ],
  );
}

export async function addOutcomes(client: PoolClient, rows: Rows<'addOutcomes'>): Promise<void> {
  if (rows.length === 0) return;
  const merged = mergeOutcomes(rows);
  await client.query(
    `INSERT INTO ingest_outcomes (project_id, item_type, outcome, day, count)
     SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::bigint[], $5::bigint[])
     ON CONFLICT (project_id, item_type, outcome, day) DO UPDATE SET count = ingest_outcomes.count + excluded.count`,
    [
      merged.map((r) => r.projectId),
      merged.map((r) => r.itemType),
      merged.map((r) => r.outcome),
      merged.map((r) => r.day),
      merged.map((r) => r.count),
    ],
  );
}
