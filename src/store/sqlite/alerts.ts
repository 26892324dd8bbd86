import { ENABLED_AT_ON_UPDATE, rulePatchParams, toAlertFiring, toAlertRule } from '../alerts-rows.ts';
import type { AlertsStore, NewAlertRule } from '../types-alerts.ts';
import { createReleaseHealth } from './alerts-health.ts';
import { createAlertSignals } from './alerts-signals.ts';
import { insertAudit } from './audit.ts';
import type { SqliteConnection, SqliteHandles } from './connection.ts';
import { writeTransaction } from './connection.ts';

type Row = Record<string, unknown>;

/** Thrown inside a claim to roll it back: the firing's key was taken after the cooldown passed. */
class ClaimLost extends Error {}

function insertRule(db: SqliteConnection, rule: NewAlertRule) {
  const row = db.get<Row>(
    `INSERT INTO alert_rules (org_id, project_id, name, detector, enabled, conditions, filters, actions,
       cooldown_minutes, is_default, created_by, created_at, updated_at, enabled_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
    rule.orgId,
    rule.projectId,
    rule.name,
    rule.detector,
    rule.enabled ? 1 : 0,
    JSON.stringify(rule.conditions),
    JSON.stringify(rule.filters),
    JSON.stringify(rule.actions),
    rule.cooldownMinutes,
    rule.isDefault ? 1 : 0,
    rule.createdBy,
    rule.createdAt,
    rule.createdAt,
    rule.createdAt,
  );
  return toAlertRule(row!);
}

export function createAlerts(h: SqliteHandles): AlertsStore {
  const read = h.reader;
  return {
    alertRules: {
      create: (input, audit) =>
        writeTransaction(h, (db) => {
          const created = insertRule(db, input);
          insertAudit(db, audit, created.id);
          return created;
        }),
      get: async (id) => {
        const row = read.get<Row>('SELECT * FROM alert_rules WHERE id = ?', id);
        return row ? toAlertRule(row) : null;
      },
      listByProject: async (projectId) =>
        read
          .all<Row>('SELECT * FROM alert_rules WHERE project_id = ? ORDER BY id', projectId)
          .map(toAlertRule),
      listEnabled: async () =>
        read.all<Row>('SELECT * FROM alert_rules WHERE enabled = 1 ORDER BY project_id, id').map(toAlertRule),
      update: (id, patch, now, audit) =>
        writeTransaction(h, (db) => {
          const sets = rulePatchParams(patch);
          const row = db.get<Row>(
            `UPDATE alert_rules SET ${sets.map((s) => `${s.column} = ?, `).join('')}updated_at = ?,
               enabled_at = ${ENABLED_AT_ON_UPDATE}
             WHERE id = ? RETURNING *`,
            ...sets.map((s) => s.value),
            now,
            now,
            id,
          );
          if (row) insertAudit(db, audit);
          return row ? toAlertRule(row) : null;
        }),
      delete: (id, audit) =>
        writeTransaction(h, (db) => {
          const deleted = db.run('DELETE FROM alert_rules WHERE id = ?', id) > 0;
          if (deleted) insertAudit(db, audit);
          return deleted;
        }),
      projectsWithoutDefaults: async () =>
        read
          .all<Row>(
            `SELECT id FROM projects WHERE id NOT IN (SELECT project_id FROM alert_project_defaults) ORDER BY id`,
          )
          .map((row) => Number(row.id)),
      createDefaults: (projectId, rules) =>
        writeTransaction(h, (db) => {
          const marked = db.run(
            'INSERT INTO alert_project_defaults (project_id) VALUES (?) ON CONFLICT DO NOTHING',
            projectId,
          );
          return marked === 0 ? [] : rules.map((rule) => insertRule(db, rule));
        }),
    },
    alertFirings: {
      claim: (input) =>
        writeTransaction(h, (db) => {
          const cooled = db.get<Row>(
            `INSERT INTO alert_cooldowns (rule_id, subject, last_fired_at) VALUES (?, ?, ?)
             ON CONFLICT (rule_id, subject) DO UPDATE SET last_fired_at = excluded.last_fired_at
             WHERE alert_cooldowns.last_fired_at <= excluded.last_fired_at - ? RETURNING rule_id`,
            input.ruleId,
            input.subject,
            input.firedAt,
            input.cooldownMs,
          );
          if (!cooled) return null;
          const row = db.get<Row>(
            `INSERT INTO alert_firings (rule_id, org_id, project_id, detector, subject, key, issue_id, fired_at,
               summary, data, status, results)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'claimed', '[]') ON CONFLICT (key) DO NOTHING RETURNING *`,
            input.ruleId,
            input.orgId,
            input.projectId,
            input.detector,
            input.subject,
            input.key,
            input.issueId,
            input.firedAt,
            input.summary,
            JSON.stringify(input.data),
          );
          if (!row) throw new ClaimLost();
          return toAlertFiring(row);
        }).catch((error) => {
          if (error instanceof ClaimLost) return null;
          throw error;
        }),
      finish: (id, results) =>
        writeTransaction(h, (db) => {
          const row = db.get<Row>(
            `UPDATE alert_firings SET status = 'done', results = ? WHERE id = ? RETURNING *`,
            JSON.stringify(results),
            id,
          );
          return row ? toAlertFiring(row) : null;
        }),
      claimedKeys: async (keys) =>
        // Most detector passes have nothing to ask about: no query then.
        keys.length === 0
          ? new Set()
          : new Set(
              read
                .all<Row>(
                  'SELECT key FROM alert_firings WHERE key IN (SELECT value FROM json_each(?))',
                  JSON.stringify(keys),
                )
                .map((row) => String(row.key)),
            ),
      get: async (id) => {
        const row = read.get<Row>('SELECT * FROM alert_firings WHERE id = ?', id);
        return row ? toAlertFiring(row) : null;
      },
      list: async ({ orgId, projectId, ruleId, limit, offset }) =>
        read
          .all<Row>(
            `SELECT * FROM alert_firings WHERE org_id = ? AND (? IS NULL OR project_id = ?)
               AND (? IS NULL OR rule_id = ?)
             ORDER BY fired_at DESC, id DESC LIMIT ? OFFSET ?`,
            orgId,
            projectId ?? null,
            projectId ?? null,
            ruleId ?? null,
            ruleId ?? null,
            limit,
            offset,
          )
          .map(toAlertFiring),
    },
    detectorPositions: {
      get: async (name) => {
        const row = read.get<Row>('SELECT position FROM detector_positions WHERE name = ?', name);
        return row ? Number(row.position) : null;
      },
      advance: (name, position) =>
        writeTransaction(h, (db) => {
          db.run(
            `INSERT INTO detector_positions (name, position) VALUES (?, ?)
             ON CONFLICT (name) DO UPDATE SET position = max(position, excluded.position)`,
            name,
            position,
          );
        }),
    },
    detectSignals: createAlertSignals(read),
    releaseHealth: createReleaseHealth(h),
  };
}
