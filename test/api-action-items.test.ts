import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { actionCommand } from '../src/cli/action.ts';
import { postmortemCommand } from '../src/cli/postmortem.ts';
import { manualClock } from '../src/clock.ts';
import { apiClient, memberWithToken, mintToken, sendEvent, startServerOn } from './helpers/issues.ts';
import type { TestServer } from './helpers/server.ts';

const T0 = Date.parse('2026-11-22T09:00:00Z');
const DAY = 86_400_000;

/** Runs a CLI command in-process with its own environment; returns exit code and output. */
async function cli(command: typeof actionCommand, args: string[], env: Record<string, string>) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await command(args, { out: (t) => out.push(t), err: (t) => err.push(t) }, env);
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

for (const backend of ['sqlite', 'postgres'] as const) {
  describe(`action items API and CLI (${backend})`, () => {
    let t: TestServer;
    const clock = manualClock(T0);
    before(async () => {
      t = await startServerOn(backend, { clock });
    });
    after(() => t.close());

    async function setup() {
      clock.set(T0);
      const s = await t.setup();
      await sendEvent(t, s, { message: 'Checkout failed', timestamp: (T0 - 60_000) / 1000 });
      const api = apiClient(t.url, s.token);
      const [issue] = (await api.get(`/api/0/projects/${s.org}/${s.project}/issues/`)).body;
      const org = `/api/0/organizations/${s.org}`;
      await api.post(`${org}/incidents/`, { issues: [issue.id] });
      await api.post(`${org}/incidents/`, { title: 'Search slow' });
      const ada = await memberWithToken(t, s.org, 'Ada');
      const adaToken = await mintToken(t, { org: s.org, scopes: ['incident:write'], userId: ada.user.id });
      return { s, api, org, issue, ada, adaApi: apiClient(t.url, adaToken), adaToken };
    }

    test('create, owners, links, validation; filters and overdue across incidents; paging', async () => {
      const { api, adaApi, org, issue, ada } = await setup();
      const items = `${org}/action-items/`;
      const own = await adaApi.post(items, {
        title: 'Add a load test',
        kind: 'test',
        owner: 'me',
        dueAt: '2026-11-25',
      });
      assert.equal(own.status, 201, JSON.stringify(own.body));
      assert.deepEqual(
        [own.body.owner.name, own.body.owner.email, own.body.incident, own.body.status, own.body.dueAt],
        ['Ada', ada.user.email, null, 'open', '2026-11-25T00:00:00.000Z'],
      );
      const team = (
        await api.post(`${org}/incidents/INC-1/action-items/`, {
          title: 'Page on checkout errors',
          kind: 'monitor',
          owner: 'Payments team',
          dueAt: T0 + 2 * DAY,
          issue: issue.shortId,
        })
      ).body;
      assert.deepEqual(
        [team.owner, team.incident.ref, team.issue.shortId],
        [{ id: null, name: 'Payments team', email: null }, 'INC-1', issue.shortId],
      );
      const member = (
        await api.post(items, {
          title: 'Gate deploys on new issues',
          kind: 'gate',
          owner: ada.user.email,
          incident: 'INC-2',
        })
      ).body;
      assert.equal(member.owner.id, String(ada.user.id));
      assert.equal(member.incident.ref, 'INC-2');

      for (const bad of [
        {},
        { title: 'x', kind: 'chore' },
        { title: 'x', status: 'later' },
        { title: 'x', dueAt: 'next week' },
        { title: 'x', incident: 'INC-99' },
        { title: 'x', issue: 'NOPE-1' },
        { title: 'x', owner: '999999' },
        { title: 'x', owner: 'me' },
        { title: 'x', extra: 1 },
      ]) {
        const answer = await api.post(items, bad);
        assert.equal(answer.status, 400, JSON.stringify(bad));
        assert.equal(typeof answer.body.detail, 'string');
      }

      const ids = async (query: string) => (await api.get(`${items}${query}`)).body.map((i: any) => i.id);
      assert.deepEqual(await ids(''), [team.id, own.body.id, member.id]);
      assert.deepEqual(await ids('?kind=test,gate'), [own.body.id, member.id]);
      assert.deepEqual(await ids(`?owner=${encodeURIComponent(ada.user.email)}`), [own.body.id, member.id]);
      assert.deepEqual(await ids('?owner=payments%20team'), [team.id]);
      assert.deepEqual(await ids('?incident=INC-1'), [team.id]);
      assert.deepEqual(await ids('?overdue=1'), []);
      assert.equal((await api.get(`${items}?status=later`)).status, 400);
      const page = await api.get(`${items}?per_page=1`);
      assert.match(page.headers.get('link') ?? '', /rel="next"; results="true"; cursor="0:1:0"/);
      assert.deepEqual(await ids('?per_page=1&cursor=0:1:0'), [own.body.id]);

      clock.set(T0 + 3 * DAY);
      assert.deepEqual(await ids('?overdue=1'), [team.id, own.body.id]);
      assert.deepEqual(await ids('?overdue=true&incident=INC-1'), [team.id]);
      assert.equal((await api.get(`${items}${own.body.id}/`)).body.overdue, true);
      assert.deepEqual(await ids('?status=pending'), [team.id, own.body.id, member.id]);
    });

    test('update is conditional and on the timeline (both incidents when it moves); done; delete', async () => {
      const { api, org } = await setup();
      const items = `${org}/action-items/`;
      const item = (
        await api.post(`${org}/incidents/INC-1/action-items/`, { title: 'Add a test', kind: 'test' })
      ).body;
      clock.advance(DAY);
      const race = await Promise.all(
        ['in_progress', 'done'].map((status) =>
          api.put(`${items}${item.id}/`, { status, expectedVersion: item.version }),
        ),
      );
      assert.deepEqual(race.map((r) => r.status).sort(), [200, 409]);
      const done = await api.put(`${items}${item.id}/`, { status: 'done' });
      assert.equal(done.body.completedAt, new Date(T0 + DAY).toISOString());
      const reopened = await api.put(`${items}${item.id}/`, {
        status: 'open',
        incident: 'INC-2',
        dueAt: '2026-12-01',
      });
      assert.equal(reopened.status, 200, JSON.stringify(reopened.body));
      assert.equal(reopened.body.completedAt, null);
      assert.equal(reopened.body.incident.ref, 'INC-2');
      const unchanged = await api.put(`${items}${item.id}/`, { status: 'open' });
      assert.equal(unchanged.body.version, reopened.body.version);
      assert.equal((await api.put(`${items}${item.id}/`, { status: 'nah' })).status, 400);
      assert.equal((await api.put(`${items}${item.id}/`, { title: '' })).status, 400);

      const bodies = async (ref: string) =>
        (await api.get(`${org}/incidents/${ref}/timeline/`)).body
          .filter((e: any) => e.kind === 'action_item')
          .map((e: any) => e.body);
      const moved = `Action item #${item.id} (test): status done → open; due — → 2026-12-01; incident → INC-2`;
      const winner = race.find((r) => r.status === 200)?.body.status;
      const expected = [
        `Action item #${item.id} (test) added: Add a test`,
        `Action item #${item.id} (test): status open → ${winner}`,
      ];
      if (winner !== 'done') expected.push(`Action item #${item.id} (test): status ${winner} → done`);
      assert.deepEqual(await bodies('INC-1'), [...expected, moved]);
      assert.deepEqual(await bodies('INC-2'), [moved]);

      const deleted = await api.delete(`${items}${item.id}/`);
      assert.equal(deleted.status, 204);
      assert.equal((await api.get(`${items}${item.id}/`)).status, 404);
      assert.equal((await api.delete(`${items}${item.id}/`)).status, 404);
      assert.equal((await bodies('INC-2')).at(-1), `Action item #${item.id} (test) deleted: Add a test`);
      assert.deepEqual((await api.get(`${org}/incidents/INC-2/action-items/`)).body, []);
    });

    test('scopes and isolation', async () => {
      const { s, api, org } = await setup();
      const item = (await api.post(`${org}/action-items/`, { title: 'Runbook', kind: 'process' })).body;
      const path = `${org}/action-items/${item.id}/`;
      const reader = apiClient(t.url, await mintToken(t, { org: s.org, scopes: ['incident:read'] }));
      assert.equal((await reader.get(path)).status, 200);
      assert.equal((await reader.get(`${org}/action-items/`)).status, 200);
      assert.equal((await reader.post(`${org}/action-items/`, { title: 'x' })).status, 403);
      assert.equal((await reader.post(`${org}/incidents/INC-1/action-items/`, { title: 'x' })).status, 403);
      assert.equal((await reader.put(path, { status: 'done' })).status, 403);
      assert.equal((await reader.delete(path)).status, 403);
      const noScope = apiClient(t.url, await mintToken(t, { org: s.org, scopes: ['event:read'] }));
      assert.equal((await noScope.get(`${org}/action-items/`)).status, 403);
      const other = await t.setup();
      const outsider = apiClient(t.url, other.token);
      const theirs = `/api/0/organizations/${other.org}/action-items/${item.id}/`;
      for (const answer of [
        await outsider.get(path),
        await outsider.get(theirs),
        await outsider.put(theirs, { status: 'done' }),
        await outsider.delete(theirs),
      ]) {
        assert.equal(answer.status, 404);
      }
      assert.deepEqual((await outsider.get(`/api/0/organizations/${other.org}/action-items/`)).body, []);
      assert.equal((await api.get(`${org}/action-items/nonsense/`)).status, 404);
    });

    test('firebreak action and postmortem: verbs, output, usage and API errors', async () => {
      const { s, adaToken } = await setup();
      const env = { FIREBREAK_URL: t.url, FIREBREAK_ORG: s.org, FIREBREAK_TOKEN: adaToken };
      const added = await cli(
        actionCommand,
        [
          'add',
          'Alert',
          'on',
          'errors',
          '--kind',
          'monitor',
          '--incident',
          'INC-1',
          '--due',
          '2026-11-23',
          '--owner',
          'me',
        ],
        env,
      );
      assert.equal(added.code, 0, added.stderr);
      const id = /^#(\d+) {2}monitor {2}open {2}2026-11-23 {2}Ada {2}INC-1 {2}Alert on errors$/.exec(
        added.stdout,
      )?.[1];
      assert.ok(id, added.stdout);
      clock.set(T0 + 2 * DAY);
      const listed = await cli(actionCommand, ['ls', '--overdue', '--owner', 'me'], env);
      assert.equal(listed.code, 0, listed.stderr);
      assert.match(listed.stdout, /^ID +KIND +STATUS +DUE +OWNER +INCIDENT +TITLE\n/);
      assert.match(
        listed.stdout,
        new RegExp(`^${id} +monitor +open +2026-11-23 OVERDUE +Ada +INC-1 +Alert on errors$`, 'm'),
      );
      const updated = await cli(
        actionCommand,
        ['update', id, '--status', 'in_progress', '--owner', 'Payments team', '--due', ''],
        env,
      );
      assert.equal(updated.code, 0, updated.stderr);
      assert.match(updated.stdout, /in_progress {2}— {2}Payments team/);
      assert.equal((await cli(actionCommand, ['done', `#${id}`], env)).code, 0);
      const shown = await cli(actionCommand, ['show', id], env);
      assert.match(shown.stdout, /^status: +done \(2026-11-24T09:00:00.000Z\)$/m);
      assert.equal((await cli(actionCommand, ['list', '--status', 'open'], env)).stdout, 'no action items');
      assert.equal((await cli(actionCommand, ['update', id], env)).code, 2);
      assert.equal((await cli(actionCommand, ['add'], env)).code, 2);
      assert.equal((await cli(actionCommand, ['add', 'x', '--kind', 'chore'], env)).code, 2);
      for (const due of ['1', '2026-02-30']) {
        const loose = await cli(actionCommand, ['add', 'x', '--due', due], env);
        assert.equal(loose.code, 2, `--due ${due}`);
        assert.match(loose.stderr, /is not a date that exists/);
      }
      assert.equal((await cli(actionCommand, ['show', '999999'], env)).code, 3);
      assert.equal((await cli(actionCommand, ['frobnicate'], env)).code, 2);
      assert.equal((await cli(actionCommand, ['delete', id], env)).stdout, `deleted #${id}`);

      const missing = await cli(postmortemCommand, ['INC-1'], env);
      assert.equal(missing.code, 3);
      assert.match(missing.stderr, /INC-1 has no post-mortem yet: generate it .*--generate/);
      assert.equal((await cli(postmortemCommand, ['INC-1', '--set', 'mood=bad'], env)).code, 2);
      assert.equal((await cli(postmortemCommand, ['INC-1', '--edit', 'summary'], env)).code, 2);
      assert.equal(
        (await cli(postmortemCommand, ['INC-1', '--edit', 'summary', '--from-file', '/nonexistent'], env))
          .code,
        2,
      );
      assert.equal((await cli(postmortemCommand, ['--json'], env)).code, 2);
      const generated = await cli(
        postmortemCommand,
        ['1', '--generate', '--set', 'went-well=Fast rollback', '--chart', 'link'],
        env,
      );
      assert.equal(generated.code, 0, generated.stderr);
      assert.match(generated.stdout, /^## What went well\n\nFast rollback\n/m);
      assert.match(
        generated.stdout,
        /\]\(http:\/\/127\.0\.0\.1:\d+\/api\/0\/organizations\/[^/]+\/incidents\/1\/postmortem\/chart\.svg\)/,
      );
      const json = JSON.parse((await cli(postmortemCommand, ['INC-1', '--json'], env)).stdout);
      assert.deepEqual(
        [json.adr, json.narrative.wentWell, json.markdown],
        ['ADR-0001', 'Fast rollback', undefined],
      );
    });
  });
}
