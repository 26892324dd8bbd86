import { toIncidentLink, toSharedIssueMatch, toStoredSignature } from '../runbook-rows.ts';
import type { RunbooksStore } from '../types-runbooks.ts';
import type { SqliteHandles } from './connection.ts';
import { writeTransaction } from './connection.ts';
import { assembleIncidents } from './incidents-rows.ts';

type Row = Record<string, unknown>;

const marks = (n: number) => Array.from({ length: n }, () => '?').join(',');

export function createIncidentMemory(h: SqliteHandles): Pick<RunbooksStore, 'incidentMemory'> {
  const read = h.reader;
  return {
    incidentMemory: {
      listDeclared: async ({ orgId, start, end, limit }) =>
        assembleIncidents(
          read,
          read.all<Row>(
            `SELECT * FROM incidents WHERE org_id = ? AND declared_at >= ? AND declared_at < ?
             ORDER BY declared_at DESC, id DESC LIMIT ?`,
            orgId,
            start,
            end,
            limit,
          ),
        ),
      sharingIssues: async ({ orgId, issueIds, excludeIncidentId }) => {
        if (issueIds.length === 0) return [];
        const list = marks(issueIds.length);
        const rows = read.all<Row>(
          `SELECT ii.incident_id, ii.issue_id AS past_issue_id, ii.issue_id, 'issue' AS via
           FROM incident_issues ii JOIN incidents i ON i.id = ii.incident_id
           WHERE i.org_id = ? AND ii.incident_id <> ? AND ii.issue_id IN (${list})
           UNION
           SELECT ii.incident_id, ii.issue_id AS past_issue_id, mine.issue_id, 'hash' AS via
           FROM issue_hashes mine
           JOIN issue_hashes theirs ON theirs.hash = mine.hash AND theirs.issue_id <> mine.issue_id
           JOIN incident_issues ii ON ii.issue_id = theirs.issue_id
           JOIN incidents i ON i.id = ii.incident_id
           WHERE i.org_id = ? AND ii.incident_id <> ? AND mine.issue_id IN (${list})
           ORDER BY 1, 2, 3`,
          orgId,
          excludeIncidentId,
          ...issueIds,
          orgId,
          excludeIncidentId,
          ...issueIds,
        );
        return rows.map(toSharedIssueMatch);
      },
      signatures: async (incidentIds) => {
        if (incidentIds.length === 0) return new Map();
        const rows = read.all<Row>(
          `SELECT * FROM incident_signatures WHERE incident_id IN (${marks(incidentIds.length)})`,
          ...incidentIds,
        );
        return new Map(rows.map((row) => [Number(row.incident_id), toStoredSignature(row)]));
      },
      putSignature: (incidentId, signature, now) =>
        writeTransaction(h, (db) => {
          db.run(
            `INSERT INTO incident_signatures (incident_id, signature, computed_at) VALUES (?, ?, ?)
             ON CONFLICT (incident_id) DO UPDATE SET signature = excluded.signature, computed_at = excluded.computed_at`,
            incidentId,
            JSON.stringify(signature),
            now,
          );
        }),
      link: (link) =>
        writeTransaction(
          h,
          (db) =>
            db.run(
              `INSERT INTO incident_links (incident_id, related_id, relation, data, created_at)
               VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
              link.incidentId,
              link.relatedId,
              link.relation,
              JSON.stringify(link.data),
              link.createdAt,
            ) > 0,
        ),
      links: async (incidentId) =>
        read
          .all<Row>(
            `SELECT * FROM incident_links WHERE incident_id = ? OR related_id = ?
             ORDER BY created_at, incident_id, related_id`,
            incidentId,
            incidentId,
          )
          .map(toIncidentLink),
    },
  };
}
