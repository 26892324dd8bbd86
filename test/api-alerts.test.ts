import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { manualClock } from '../src/clock.ts';
import { apiClient, mintToken } from './helpers/issues.ts';
import { startQuietServer } from './helpers/quiet-server.ts';
import type { TestServer } from './helpers/server.ts';

const T0 = Date.parse('2026-11-22T09:00:00Z');

for (const backend of ['sqlite', 'postgres'] as const) {
  describe(`alert rules API (${backend})`, () => {
    let t: TestServer;
    const clock = manualClock(T0);
    before(async () => {
      t = await startQuietServer(backend, clock);
    });
    after(() => t.close());

    test('a new project lists its default rules; rules are created, changed and deleted, with audit rows', async () => {
      const s = await t.setup();
      const api = apiClient(t.url, s.token);
      const base = `/api/0/projects/${s.org}/${s.project}/alert-rules/`;
      const defaults = await api.get(base);
      assert.equal(defaults.status, 200, JSON.stringify(defaults.body));
      assert.deepEqual(
        defaults.body.map((r: any) => [r.detector, r.isDefault, r.actions]),
        [
          ['new_issue', true, [{ type: 'notify', targets: 'all' }]],
          ['regression', true, [{ type: 'notify', targets: 'all' }]],
          ['spike', true, [{ type: 'notify', targets: 'all' }]],
          ['release_health', true, [{ type: 'notify', targets: 'all' }]],
        ],
      );
      assert.deepEqual(defaults.body[0].filters, { levels: ['error', 'fatal'] });
      // Listing again creates nothing more.
      assert.equal((await api.get(base)).body.length, 4);

      const created = await api.post(base, {
        name: 'Checkout spikes',
        detector: 'spike',
        conditions: { factor: 4, windowMinutes: 5 },
        filters: { levels: ['error'], environments: ['production'], tags: { feature: 'checkout' } },
        actions: [{ type: 'declare_incident', severity: 'P1' }, { type: 'attach_incident' }],
        cooldownMinutes: 10,
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const rule = created.body;
      assert.equal(typeof rule.id, 'string');
      assert.deepEqual(rule.conditions, {
        factor: 4,
        minCount: 10,
        windowMinutes: 5,
        scope: 'issue',
        baseline: 'seasonal',
      });
      assert.deepEqual(rule.filters, {
        levels: ['error'],
        environments: ['production'],
        tags: { feature: 'checkout' },
      });
      assert.deepEqual(
        [rule.enabled, rule.cooldownMinutes, rule.isDefault, rule.project],
        [true, 10, false, s.project],
      );
      assert.equal(rule.dateCreated, new Date(T0).toISOString());

      clock.advance(60_000);
      const changed = await api.put(`${base}${rule.id}/`, { enabled: false, conditions: { factor: 6 } });
      assert.equal(changed.status, 200, JSON.stringify(changed.body));
      assert.deepEqual(
        [changed.body.enabled, changed.body.conditions.factor, changed.body.conditions.windowMinutes],
        [false, 6, 1],
      );
      assert.equal(changed.body.dateModified, new Date(T0 + 60_000).toISOString());
      assert.equal((await api.get(`${base}${rule.id}/`)).body.enabled, false);

      assert.equal((await api.delete(`${base}${rule.id}/`)).status, 204);
      assert.equal((await api.get(`${base}${rule.id}/`)).status, 404);
      assert.equal((await api.delete(`${base}${rule.id}/`)).status, 404);

      const log = await api.get(`/api/0/organizations/${s.org}/audit-logs/`);
      const events = log.body.rows.map((row: any) => row.event);
      assert.deepEqual(
        events.filter((e: string) => e.startsWith('rule.')),
        ['rule.remove', 'rule.edit', 'rule.add'],
      );
    });

    test('bad rules are refused with a 400 that says why; other projects and organisations are 404', async () => {
      const s = await t.setup();
      const api = apiClient(t.url, s.token);
      const base = `/api/0/projects/${s.org}/${s.project}/alert-rules/`;
      const refused = async (body: unknown, detail: RegExp) => {
        const answer = await api.post(base, body);
        assert.equal(answer.status, 400, JSON.stringify(answer.body));
        assert.match(answer.body.detail, detail);
      };
      await refused({ name: 'x', detector: 'bogus' }, /detector/);
      await refused(
        { name: 'x', detector: 'spike', conditions: { factor: 0.5 } },
        /conditions\.factor for spike/,
      );
      await refused({ name: 'x', detector: 'new_issue', conditions: { factor: 2 } }, /conditions/);
      await refused({ name: 'x', detector: 'users', conditions: { threshold: -1 } }, /threshold/);
      await refused(
        { name: 'x', detector: 'new_issue', actions: [{ type: 'notify', targets: [999] }] },
        /unknown notification target 999/,
      );
      await refused(
        { name: 'x', detector: 'new_issue', actions: [{ type: 'declare_incident', severity: 'SEV9' }] },
        /unknown severity SEV9/,
      );
      await refused({ name: 'x', detector: 'new_issue', actions: [{ type: 'page' }] }, /actions/);
      await refused({ name: 'x', detector: 'new_issue', filters: { levels: ['loud'] } }, /filters\.levels/);
      await refused({ name: 'x', detector: 'new_issue', cooldownMinutes: -1 }, /cooldownMinutes/);
      await refused({ name: 'x', detector: 'new_issue', surprise: true }, /alert rule|surprise/);
      await refused([], /alert rule/);

      const rule = (await api.post(base, { name: 'Users', detector: 'users' })).body;
      assert.deepEqual(rule.conditions, { threshold: 100, windowMinutes: 60 });
      const badUpdate = await api.put(`${base}${rule.id}/`, { detector: 'spike' });
      assert.equal(badUpdate.status, 400);

      const other = await t.setup(s.org, `other${s.projectId}`);
      const otherBase = `/api/0/projects/${s.org}/${other.project}/alert-rules/`;
      assert.equal((await api.get(`${otherBase}${rule.id}/`)).status, 404);
      assert.equal((await api.get(`${base}abc/`)).status, 404);
      const stranger = await t.setup();
      const strangerApi = apiClient(t.url, stranger.token);
      assert.equal((await strangerApi.get(`${base}${rule.id}/`)).status, 404);
      assert.equal((await api.get(`/api/0/projects/${s.org}/nope/alert-rules/`)).status, 404);
    });

    test('scopes: alerts:read or project:read reads, alerts:write or project:write changes', async () => {
      const s = await t.setup();
      const base = `/api/0/projects/${s.org}/${s.project}/alert-rules/`;
      const as = async (scopes: string[]) => apiClient(t.url, await mintToken(t, { org: s.org, scopes }));
      const events = await as(['event:read', 'org:read']);
      assert.equal((await events.get(base)).status, 403);
      const reader = await as(['alerts:read']);
      assert.equal((await reader.get(base)).status, 200);
      assert.equal((await reader.post(base, { name: 'x', detector: 'new_issue' })).status, 403);
      assert.equal((await reader.get(`/api/0/organizations/${s.org}/alert-firings/`)).status, 200);
      const writer = await as(['alerts:write']);
      assert.equal((await writer.post(base, { name: 'x', detector: 'new_issue' })).status, 201);
      const project = await as(['project:write']);
      assert.equal((await project.post(base, { name: 'y', detector: 'regression' })).status, 201);
      assert.equal((await (await as(['project:read'])).get(base)).body.length, 6);
    });
  });
}
