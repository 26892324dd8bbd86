import type pg from 'pg';
import { ENABLED_AT_ON_UPDATE, rulePatchParams, toAlertFiring, toAlertRule } from '../alerts-rows.ts';
import type { AlertsStore, NewAlertRule } from '../types-alerts.ts';
import { createReleaseHealth } from './alerts-health.ts';
import { createAlertSignals } from './alerts-signals.ts';
import { insertAudit } from './audit.ts';
import { inTransaction, one, type Queryable, rows } from './pool.ts';

/** Thrown inside a claim to roll it back: the firing's key was taken after the cooldown passed. */
class ClaimLost extends Error {}

async function insertRule(db: Queryable, rule: NewAlertRule) {
  const row = await one(
    db,
    `INSERT INTO alert_rules (org_id, project_id, name, detector, enabled, conditions, filters, actions,
       cooldown_minutes, is_default, created_by, created_at, updated_at, enabled_at)
     VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb, $8::jsonb, $9, $10, $11, $12, $12, $12) RETURNING *`,
    [
      rule.orgId,
      rule.projectId,
      rule.name,
      rule.detector,
      rule.enabled,
      JSON.stringify(rule.conditions),
      JSON.stringify(rule.filters),
      JSON.stringify(rule.actions),
      rule.cooldownMinutes,
      rule.isDefault,
      rule.createdBy,
      rule.createdAt,
    ],
  );
  return toAlertRule(row!);
}

export function createAlerts(pool: pg.Pool): AlertsStore {
  return {
    alertRules: {
      create: (input, audit) =>
        inTransaction(pool, async (client) => {
          const created = await insertRule(client, input);
          await insertAudit(client, audit, created.id);
          return created;
        }),
      get: async (id) => {
        const row = await one(pool, 'SELECT * FROM alert_rules WHERE id = $1', [id]);
        return row ? toAlertRule(row) : null;
      },
      listByProject: async (projectId) =>
        (await rows(pool, 'SELECT * FROM alert_rules WHERE project_id = $1 ORDER BY id', [projectId])).map(
          toAlertRule,
        ),
      listEnabled: async () =>
        (await rows(pool, 'SELECT * FROM alert_rules WHERE enabled ORDER BY project_id, id')).map(
          toAlertRule,
        ),
      update: (id, patch, now, audit) =>
        inTransaction(pool, async (client) => {
          const sets = rulePatchParams(patch).map((s) =>
            s.column === 'enabled' ? { ...s, value: s.value === 1 } : s,
          );
          const row = await one(
            client,
            `UPDATE alert_rules SET ${sets.map((s, i) => `${s.column} = $${i + 1}, `).join('')}updated_at = $${sets.length + 1},
               enabled_at = ${ENABLED_AT_ON_UPDATE.replace('?', `$${sets.length + 1}`)}
             WHERE id = $${sets.length + 2} RETURNING *`,
            [...sets.map((s) => s.value), now, id],
          );
          if (row) await insertAudit(client, audit);
          return row ? toAlertRule(row) : null;
        }),
      delete: (id, audit) =>
        inTransaction(pool, async (client) => {
          const deleted =
            ((await client.query('DELETE FROM alert_rules WHERE id = $1', [id])).rowCount ?? 0) > 0;
          if (deleted) await insertAudit(client, audit);
          return deleted;
        }),
      projectsWithoutDefaults: async () =>
        (
          await rows(
            pool,
            'SELECT id FROM projects WHERE id NOT IN (SELECT project_id FROM alert_project_defaults) ORDER BY id',
          )
        ).map((row) => Number(row.id)),
      createDefaults: (projectId, rules) =>
        inTransaction(pool, async (client) => {
          const marked = await client.query(
            'INSERT INTO alert_project_defaults (project_id) VALUES ($1) ON CONFLICT DO NOTHING',
            [projectId],
          );
          if (marked.rowCount === 0) return [];
          const created = [];
          for (const rule of rules) created.push(await insertRule(client, rule));
          return created;
        }),
    },
    alertFirings: {
      claim: (input) =>
        inTransaction(pool, async (client) => {
          // The conditional upsert locks the (rule, subject) row: a concurrent claim on another node
          // waits here and then sees this one's time, so only one of them passes the cooldown.
          const cooled = await one(
            client,
            `INSERT INTO alert_cooldowns (rule_id, subject, last_fired_at) VALUES ($1, $2, $3)
             ON CONFLICT (rule_id, subject) DO UPDATE SET last_fired_at = excluded.last_fired_at
             WHERE alert_cooldowns.last_fired_at <= excluded.last_fired_at - $4 RETURNING rule_id`,
            [input.ruleId, input.subject, input.firedAt, input.cooldownMs],
          );
          if (!cooled) return null;
          const row = await one(
            client,
            `INSERT INTO alert_firings (rule_id, org_id, project_id, detector, subject, key, issue_id, fired_at,
               summary, data, status, results)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb, 'claimed', '[]'::jsonb)
             ON CONFLICT (key) DO NOTHING RETURNING *`,
            [
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
            ],
          );
          if (!row) throw new ClaimLost();
          return toAlertFiring(row);
        }).catch((error) => {
          if (error instanceof ClaimLost) return null;
          throw error;
        }),
      finish: async (id, results) => {
        const row = await one(
          pool,
          `UPDATE alert_firings SET status = 'done', results = $1::jsonb WHERE id = $2 RETURNING *`,
          [JSON.stringify(results), id],
        );
        return row ? toAlertFiring(row) : null;
      },
      claimedKeys: async (keys) =>
        // Most detector passes have nothing to ask about: no round trip then.
        keys.length === 0
          ? new Set()
          : new Set(
              (await rows(pool, 'SELECT key FROM alert_firings WHERE key = ANY($1::text[])', [keys])).map(
                (row) => String(row.key),
              ),
            ),
      get: async (id) => {
        const row = await one(pool, 'SELECT * FROM alert_firings WHERE id = $1', [id]);
        return row ? toAlertFiring(row) : null;
      },
      list: async ({ orgId, projectId, ruleId, limit, offset }) =>
        (
          await rows(
            pool,
            `SELECT * FROM alert_firings WHERE org_id = $1 AND ($2::bigint IS NULL OR project_id = $2)
               AND ($3::bigint IS NULL OR rule_id = $3)
             ORDER BY fired_at DESC, id DESC LIMIT $4 OFFSET $5`,
            [orgId, projectId ?? null, ruleId ?? null, limit, offset],
          )
        ).map(toAlertFiring),
    },
    detectorPositions: {
      get: async (name) => {
        const row = await one(pool, 'SELECT position FROM detector_positions WHERE name = $1', [name]);
        return row ? Number(row.position) : null;
      },
      advance: async (name, position) => {
        await pool.query(
          `INSERT INTO detector_positions (name, position) VALUES ($1, $2)
           ON CONFLICT (name) DO UPDATE SET position = GREATEST(detector_positions.position, excluded.position)`,
          [name, position],
        );
      },
    },
    detectSignals: createAlertSignals(pool),
    releaseHealth: createReleaseHealth(pool),
  };
}
