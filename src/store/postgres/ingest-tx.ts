import type { PoolClient } from 'pg';
import { INGEST_ISSUE_COLUMNS, toIngestIssue } from '../row-values.ts';
import type { IngestTx, Issue, NewIssue } from '../types.ts';
import { mergeIssueUpdates } from './aggregate.ts';
import {
  activitiesStatement,
  environmentsStatement,
  issueBucketsStatement,
  issueUsersStatement,
  outcomesStatement,
  releasesStatement,
  tagValuesStatement,
  userIdentitiesStatement,
} from './ingest-counters.ts';
import { countableEvents, deferCountersStatement, takeDeferredCounters } from './ingest-deferred.ts';
import { one, type Row, rows } from './pool.ts';
import { toIssue } from './rows.ts';
import { type Statement, WriteBehind } from './write-behind.ts';

/**
 * IngestTx on one client inside an open transaction. Writes nobody reads back are queued and
 * go with the next insert that returns rows (events, users, deferred batches), or before COMMIT
 * through `flushWrites` (write-behind.ts): a steady-state batch is six round trips, not twelve.
 * Lookups that must see earlier writes, and those that lock issue rows, send the queue first.
 */
export function createIngestTx(client: PoolClient): IngestTx & { flushWrites(): Promise<void> } {
  const writes = new WriteBehind(client);
  const queue = async (statement: Statement | null) => {
    if (statement) await writes.write(statement);
  };
  return {
    flushWrites: () => writes.flush(),
    async deferCounters(batches) {
      if (batches.length === 0) return [];
      const inserted = await writes.query<{ id: string }>(deferCountersStatement(batches));
      return inserted.map((row) => Number(row.id)).sort((a, b) => a - b);
    },
    async takeDeferredCounters(which) {
      await writes.flush();
      return takeDeferredCounters(client, which);
    },
    async countableEvents(refs) {
      await writes.flush();
      return countableEvents(client, refs);
    },
    async findIssuesByHashes(projectId, hashes) {
      await writes.flush();
      // Locked in id order so two nodes ingesting into the same issues queue instead of deadlocking.
      const found = await rows(
        client,
        `SELECT h.hash, ${INGEST_ISSUE_COLUMNS} FROM issue_hashes h JOIN issues i ON i.id = h.issue_id
         WHERE h.project_id = $1 AND h.hash = ANY($2::text[])
         ORDER BY i.id FOR UPDATE OF i`,
        [projectId, hashes],
      );
      return new Map(found.map((row) => [String(row.hash), toIngestIssue(row)]));
    },
    async createIssue(input) {
      await writes.flush();
      return createIssue(client, input);
    },
    addIssueHashes: (projectId, issueId, hashes) =>
      queue({
        kind: 'issue_hashes',
        sql: `INSERT INTO issue_hashes (project_id, hash, issue_id) SELECT $1, unnest($2::text[]), $3
         ON CONFLICT DO NOTHING`,
        values: [projectId, hashes, issueId],
      }),
    async storedEvents(refs) {
      if (refs.length === 0) return [];
      await writes.flush();
      const found = await rows<{ project_id: string; event_id: string }>(
        client,
        `SELECT e.project_id, e.event_id FROM unnest($1::bigint[], $2::text[]) AS r(project_id, event_id)
         JOIN events e ON e.project_id = r.project_id AND e.event_id = r.event_id`,
        [refs.map((r) => r.projectId), refs.map((r) => r.eventId)],
      );
      return found.map((row) => ({ projectId: Number(row.project_id), eventId: row.event_id }));
    },
    async insertEvents(events) {
      if (events.length === 0) return new Set();
      const inserted = await writes.query<{ event_id: string }>({
        kind: 'events',
        sql: `INSERT INTO events (project_id, event_id, issue_id, timestamp, received_at, level, release,
           environment, user_key, payload, payload_codec, size, title, culprit, event_type, error_type,
           error_value, tags, user_fields)
         SELECT * FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::bigint[], $5::bigint[], $6::text[],
           $7::text[], $8::text[], $9::text[], $10::bytea[], $11::text[], $12::integer[], $13::text[],
           $14::text[], $15::text[], $16::text[], $17::text[], $18::jsonb[], $19::jsonb[])
         ON CONFLICT (project_id, event_id) DO NOTHING RETURNING event_id`,
        values: [
          events.map((e) => e.projectId),
          events.map((e) => e.eventId),
          events.map((e) => e.issueId),
          events.map((e) => e.timestamp),
          events.map((e) => e.receivedAt),
          events.map((e) => e.level),
          events.map((e) => e.release),
          events.map((e) => e.environment),
          events.map((e) => e.userKey),
          events.map((e) => e.payload),
          events.map((e) => e.payloadCodec),
          events.map((e) => e.size),
          events.map((e) => pgText(e.title ?? '')),
          events.map((e) => pgText(e.culprit ?? '')),
          events.map((e) => e.eventType ?? 'default'),
          events.map((e) => (e.errorType == null ? null : pgText(e.errorType))),
          events.map((e) => (e.errorValue == null ? null : pgText(e.errorValue))),
          events.map((e) => pgJson(e.tags ?? {})),
          events.map((e) => (e.userFields ? pgJson(e.userFields) : null)),
        ],
      });
      return new Set(inserted.map((row) => row.event_id));
    },
    updateIssues: (updates) => queue(issueUpdatesStatement(updates)),
    addIssueBuckets: (rows) => queue(issueBucketsStatement(rows)),
    addTagValues: (rows) => queue(tagValuesStatement(rows)),
    async addIssueUsers(rows) {
      const added = new Map<number, number>(rows.map((row) => [row.issueId, 0]));
      if (rows.length === 0) return added;
      const inserted = await writes.query<{ issue_id: number }>(issueUsersStatement(rows));
      for (const row of inserted) added.set(row.issue_id, (added.get(row.issue_id) ?? 0) + 1);
      return added;
    },
    ensureReleases: (rows) => queue(releasesStatement(rows)),
    ensureEnvironments: (rows) => queue(environmentsStatement(rows)),
    addActivities: (rows) => queue(activitiesStatement(rows)),
    addOutcomes: (rows) => queue(outcomesStatement(rows)),
    addUserIdentities: (rows) => queue(userIdentitiesStatement(rows)),
  };
}

/** SET expressions read the row as it was, so the CASEs compare against the stored last_seen. */
function issueUpdatesStatement(updates: Parameters<IngestTx['updateIssues']>[0]): Statement | null {
  if (updates.length === 0) return null;
  const merged = mergeIssueUpdates(updates);
  return {
    kind: 'issues',
    sql: `UPDATE issues AS i SET
           times_seen = i.times_seen + u.add_times_seen,
           user_count = i.user_count + u.add_user_count,
           first_seen = LEAST(i.first_seen, u.first_seen),
           last_seen = GREATEST(i.last_seen, u.last_seen),
           title = CASE WHEN u.last_seen >= i.last_seen THEN u.title ELSE i.title END,
           culprit = CASE WHEN u.last_seen >= i.last_seen THEN u.culprit ELSE i.culprit END,
           metadata = CASE WHEN u.last_seen >= i.last_seen THEN u.metadata::jsonb ELSE i.metadata END,
           level = CASE WHEN u.last_seen >= i.last_seen THEN u.level ELSE i.level END,
           last_release = CASE WHEN u.last_seen >= i.last_seen THEN u.last_release ELSE i.last_release END,
           status = CASE WHEN u.reopen THEN 'unresolved' ELSE i.status END,
           substatus = CASE WHEN u.reopen THEN u.reopen_as ELSE i.substatus END,
           resolved_at = CASE WHEN u.reopen THEN NULL ELSE i.resolved_at END
         FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::bigint[], $5::bigint[], $6::text[],
           $7::text[], $8::text[], $9::text[], $10::text[], $11::boolean[], $12::text[])
           AS u(issue_id, add_times_seen, add_user_count, first_seen, last_seen, title, culprit, metadata,
                level, last_release, reopen, reopen_as)
         WHERE i.id = u.issue_id`,
    values: [
      merged.map((u) => u.issueId),
      merged.map((u) => u.addTimesSeen),
      merged.map((u) => u.addUserCount),
      merged.map((u) => u.firstSeen),
      merged.map((u) => u.lastSeen),
      merged.map((u) => u.title),
      merged.map((u) => u.culprit),
      merged.map((u) => JSON.stringify(u.metadata)),
      merged.map((u) => u.level),
      merged.map((u) => u.lastRelease),
      merged.map((u) => u.reopenAs !== undefined),
      merged.map((u) => u.reopenAs ?? null),
    ],
  };
}

/**
 * The counter UPDATE row-locks the project, so concurrent creators in one project take turns
 * and numbers never repeat. The hashes go in ON CONFLICT DO NOTHING: if another node linked any
 * of them first, the event belongs to that node's issue, so this one is dropped, its number
 * handed back (the project row is still locked by us), the remaining hashes linked to the
 * winner, and the winner returned, locked like findIssuesByHashes does.
 */
async function createIssue(client: PoolClient, input: NewIssue): Promise<Issue> {
  const hashes = [...new Set(input.hashes)];
  const created = await one(
    client,
    `WITH counter AS (
       UPDATE projects SET last_short_id = last_short_id + 1 WHERE id = $1 RETURNING last_short_id
     ), issue AS (
       INSERT INTO issues (project_id, short_id_number, title, culprit, type, metadata, level, status,
         substatus, first_seen, last_seen, times_seen, user_count, first_release, last_release, grouping_version,
         platform, created_at)
       SELECT $1, counter.last_short_id, $3, $4, $5, $6::jsonb, $7, 'unresolved', 'new', $8, $8, 0, 0, $9, $9, $10, $11, $12
       FROM counter RETURNING *
     ), linked AS (
       INSERT INTO issue_hashes (project_id, hash, issue_id)
       SELECT $1, hash, issue.id FROM issue, unnest($2::text[]) AS hash
       ON CONFLICT DO NOTHING RETURNING hash
     )
     SELECT issue.*, (SELECT count(*) FROM linked) AS linked_hashes FROM issue`,
    [
      input.projectId,
      hashes,
      input.title,
      input.culprit,
      input.type,
      JSON.stringify(input.metadata),
      input.level,
      input.firstSeen,
      input.firstRelease,
      input.groupingVersion,
      input.platform ?? null,
      input.createdAt ?? input.firstSeen,
    ],
  );
  if (!created) throw new Error(`project ${input.projectId} does not exist`);
  if (Number(created.linked_hashes) === hashes.length) return toIssue(created);
  await client.query(
    `WITH dropped AS (DELETE FROM issues WHERE id = $1)
     UPDATE projects SET last_short_id = last_short_id - 1 WHERE id = $2`,
    [created.id, input.projectId],
  );
  const winner = await one<Row>(
    client,
    `SELECT i.* FROM unnest($2::text[]) WITH ORDINALITY AS wanted(hash, n)
     JOIN issue_hashes h ON h.project_id = $1 AND h.hash = wanted.hash
     JOIN issues i ON i.id = h.issue_id
     ORDER BY wanted.n LIMIT 1 FOR UPDATE OF i`,
    [input.projectId, hashes],
  );
  await client.query(
    `INSERT INTO issue_hashes (project_id, hash, issue_id) SELECT $1, unnest($2::text[]), $3
     ON CONFLICT DO NOTHING`,
    [input.projectId, hashes, winner!.id],
  );
  return toIssue(winner!);
}

/** PostgreSQL text and jsonb cannot hold NUL, which attacker-controlled event text may contain. */
function pgText(text: string): string {
  return text.includes('\0') ? text.replaceAll('\0', '\uFFFD') : text;
}

function pgJson(tags: Record<string, string>): string {
  const json = JSON.stringify(tags);
  if (!json.includes('\\u0000')) return json;
  return JSON.stringify(Object.fromEntries(Object.entries(tags).map(([k, v]) => [pgText(k), pgText(v)])));
}
