import { INGEST_ISSUE_COLUMNS, toIngestIssue } from '../row-values.ts';
import type { IngestIssue, IngestTx, Issue, NewIssue } from '../types.ts';
import type { SqliteConnection } from './connection.ts';
import {
  addIssueBuckets,
  addIssueUsers,
  addOutcomes,
  addTagValues,
  addUserIdentities,
} from './ingest-counters.ts';
import { countableEvents, deferCounters, takeDeferredCounters } from './ingest-deferred.ts';
import {
  addActivities,
  ensureEnvironments,
  ensureReleases,
  insertEvents,
  storedEvents,
  updateIssues,
} from './ingest-rows.ts';
import { toIssue } from './rows.ts';

/**
 * IngestTx on the writer connection. The methods are async to satisfy the interface but run
 * synchronously; the caller holds the write lock and an open BEGIN IMMEDIATE transaction.
 */
export function createIngestTx(db: SqliteConnection): IngestTx {
  return {
    async findIssuesByHashes(projectId, hashes) {
      // One statement for the batch; an issue's row is decoded once however many of its
      // hashes the batch carries (an event usually has two: app and system).
      const rows = db.all<Record<string, unknown>>(
        `SELECT h.hash, ${INGEST_ISSUE_COLUMNS} FROM issue_hashes h JOIN issues i ON i.id = h.issue_id
         WHERE h.project_id = ? AND h.hash IN (SELECT value FROM json_each(?))`,
        projectId,
        JSON.stringify([...new Set(hashes)]),
      );
      const issues = new Map<number, IngestIssue>();
      const found = new Map<string, IngestIssue>();
      for (const row of rows) {
        const id = Number(row.id);
        let issue = issues.get(id);
        if (!issue) {
          issue = toIngestIssue(row);
          issues.set(id, issue);
        }
        found.set(String(row.hash), issue);
      }
      return found;
    },
    async createIssue(input) {
      return createIssue(db, input);
    },
    async addIssueHashes(projectId, issueId, hashes) {
      for (const hash of hashes) linkHash(db, projectId, issueId, hash);
    },
    async storedEvents(refs) {
      return storedEvents(db, refs);
    },
    async insertEvents(events) {
      return insertEvents(db, events);
    },
    async updateIssues(updates) {
      updateIssues(db, updates);
    },
    async addIssueBuckets(rows) {
      addIssueBuckets(db, rows);
    },
    async addTagValues(rows) {
      addTagValues(db, rows);
    },
    async addUserIdentities(rows) {
      addUserIdentities(db, rows);
    },
    async addIssueUsers(rows) {
      return addIssueUsers(db, rows);
    },
    async ensureReleases(rows) {
      ensureReleases(db, rows);
    },
    async ensureEnvironments(rows) {
      ensureEnvironments(db, rows);
    },
    async addActivities(rows) {
      addActivities(db, rows);
    },
    async addOutcomes(rows) {
      addOutcomes(db, rows);
    },
    async deferCounters(batches) {
      return batches.map((batch) => deferCounters(db, batch.events, batch.createdAt));
    },
    async takeDeferredCounters(which) {
      return takeDeferredCounters(db, which);
    },
    async countableEvents(refs) {
      return countableEvents(db, refs);
    },
  };
}

function linkHash(db: SqliteConnection, projectId: number, issueId: number, hash: string): boolean {
  return (
    db.run(
      'INSERT INTO issue_hashes (project_id, hash, issue_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
      projectId,
      hash,
      issueId,
    ) === 1
  );
}

/**
 * If another writer already linked any of the hashes, the event belongs to that issue: the new
 * row is dropped, its short-id number handed back, the remaining hashes linked to the existing
 * issue, and that issue returned.
 */
function createIssue(db: SqliteConnection, input: NewIssue): Issue {
  const hashes = [...new Set(input.hashes)];
  const counter = db.get<{ last_short_id: number }>(
    'UPDATE projects SET last_short_id = last_short_id + 1 WHERE id = ? RETURNING last_short_id',
    input.projectId,
  );
  if (!counter) throw new Error(`project ${input.projectId} does not exist`);
  const row = db.get<Record<string, unknown>>(
    `INSERT INTO issues (project_id, short_id_number, title, culprit, type, metadata, level, status,
       substatus, first_seen, last_seen, times_seen, user_count, first_release, last_release,
       grouping_version, platform, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, 'unresolved', 'new', ?, ?, 0, 0, ?, ?, ?, ?, ?) RETURNING *`,
    input.projectId,
    counter.last_short_id,
    input.title,
    input.culprit,
    input.type,
    JSON.stringify(input.metadata),
    input.level,
    input.firstSeen,
    input.firstSeen,
    input.firstRelease,
    input.firstRelease,
    input.groupingVersion,
    input.platform ?? null,
    input.createdAt ?? input.firstSeen,
  )!;
  const issue = toIssue(row);
  let linked = 0;
  for (const hash of hashes) if (linkHash(db, input.projectId, issue.id, hash)) linked++;
  if (linked === hashes.length) return issue;
  db.run('DELETE FROM issues WHERE id = ?', issue.id);
  db.run('UPDATE projects SET last_short_id = last_short_id - 1 WHERE id = ?', input.projectId);
  for (const hash of hashes) {
    const winner = db.get<Record<string, unknown>>(
      'SELECT i.* FROM issue_hashes h JOIN issues i ON i.id = h.issue_id WHERE h.project_id = ? AND h.hash = ?',
      input.projectId,
      hash,
    );
    if (winner) {
      for (const other of hashes) linkHash(db, input.projectId, Number(winner.id), other);
      return toIssue(winner);
    }
  }
  throw new Error('unreachable: a conflicting hash has no issue');
}
