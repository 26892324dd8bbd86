import type pg from 'pg';
import { toIncidentLink, toSharedIssueMatch, toStoredSignature } from '../runbook-rows.ts';
import type { RunbooksStore } from '../types-runbooks.ts';
import { assembleIncidents } from './incidents-rows.ts';
import { rows } from './pool.ts';

export function createIncidentMemory(pool: pg.Pool): Pick<RunbooksStore, 'incidentMemory'> {
  return {
    incidentMemory: {
      listDeclared: async ({ orgId, start, end, limit }) =>
        assembleIncidents(
          pool,
          await rows(
            pool,
            `SELECT * FROM incidents WHERE org_id = $1 AND declared_at >= $2 AND declared_at < $3
             ORDER BY declared_at DESC, id DESC LIMIT $4`,
            [orgId, start, end, limit],
          ),
        ),
      sharingIssues: async ({ orgId, issueIds, excludeIncidentId }) => {
        if (issueIds.length === 0) return [];
        const found = await rows(
          pool,
          `SELECT ii.incident_id, ii.issue_id AS past_issue_id, ii.issue_id, 'issue' AS via
           FROM incident_issues ii JOIN incidents i ON i.id = ii.incident_id
           WHERE i.org_id = $1 AND ii.incident_id <> $2 AND ii.issue_id = ANY($3::bigint[])
           UNION
           SELECT ii.incident_id, ii.issue_id AS past_issue_id, mine.issue_id, 'hash' AS via
           FROM issue_hashes mine
           JOIN issue_hashes theirs ON theirs.hash = mine.hash AND theirs.issue_id <> mine.issue_id
           JOIN incident_issues ii ON ii.issue_id = theirs.issue_id
           JOIN incidents i ON i.id = ii.incident_id
           WHERE i.org_id = $1 AND ii.incident_id <> $2 AND mine.issue_id = ANY($3::bigint[])
           ORDER BY 1, 2, 3`,
          [orgId, excludeIncidentId, issueIds],
        );
        return found.map(toSharedIssueMatch);
      },
      signatures: async (incidentIds) => {
        if (incidentIds.length === 0) return new Map();
        const found = await rows(
          pool,
          'SELECT * FROM incident_signatures WHERE incident_id = ANY($1::bigint[])',
          [incidentIds],
        );
        return new Map(found.map((row) => [Number(row.incident_id), toStoredSignature(row)]));
      },
      putSignature: async (incidentId, signature, now) => {
        await pool.query(
          `INSERT INTO incident_signatures (incident_id, signature, computed_at) VALUES ($1, $2::jsonb, $3)
           ON CONFLICT (incident_id) DO UPDATE SET signature = excluded.signature, computed_at = excluded.computed_at`,
          [incidentId, JSON.stringify(signature), now],
        );
      },
      link: async (link) =>
        ((
          await pool.query(
            `INSERT INTO incident_links (incident_id, related_id, relation, data, created_at)
             VALUES ($1, $2, $3, $4::jsonb, $5) ON CONFLICT DO NOTHING`,
            [link.incidentId, link.relatedId, link.relation, JSON.stringify(link.data), link.createdAt],
          )
        ).rowCount ?? 0) > 0,
      links: async (incidentId) =>
        (
          await rows(
            pool,
            `SELECT * FROM incident_links WHERE incident_id = $1 OR related_id = $1
             ORDER BY created_at, incident_id, related_id`,
            [incidentId],
          )
        ).map(toIncidentLink),
    },
  };
}
