import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { revokeToken } from '../src/auth/revoke-token.ts';
import { apiClient, memberWithToken, mintToken, sendEvent } from './helpers/issues.ts';
import { startTestServer, type TestServer } from './helpers/server.ts';

describe('organisation audit log', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer();
  });
  after(() => t.close());

  test('key rotation, token revocation and issue deletion are logged with the actor', async () => {
    // The event goes first: rotation disables the DSN it is sent with.
    const s = await t.setup();
    const api = apiClient(t.url, s.token);
    const store = t.server.ctx.store;
    await sendEvent(t, s, { message: 'Doomed issue' });
    const keys = (await api.get(`/api/0/projects/${s.org}/${s.project}/keys/`)).body;
    const rotated = await api.post(`/api/0/projects/${s.org}/${s.project}/keys/${keys[0].id}/rotate/`, {});
    assert.ok(rotated.status < 300, JSON.stringify(rotated.body));

    const victim = await mintToken(t, { org: s.org, scopes: ['org:read'] });
    const victimRow = await store.tokens.getByHash((await import('../src/auth/tokens.ts')).hashToken(victim));
    await revokeToken({ store, now: Date.now(), actor: 'user:42' }, String(victimRow!.id));

    const issue = (await api.get(`/api/0/projects/${s.org}/${s.project}/issues/`)).body.find(
      (i: any) => i.title === 'Doomed issue',
    );
    assert.equal((await api.delete(`/api/0/organizations/${s.org}/issues/${issue.id}/`)).status, 202);

    const log = await api.get(`/api/0/organizations/${s.org}/audit-logs/`);
    assert.equal(log.status, 200, JSON.stringify(log.body));
    assert.ok(log.body.options.includes('issue.delete'));
    const byEvent = new Map<string, any>(log.body.rows.map((row: any) => [row.event, row]));
    assert.deepEqual(
      log.body.rows.slice(0, 3).map((row: any) => row.event),
      ['issue.delete', 'api-token.revoke', 'projectkey.rotate'],
    );
    const me = await store.tokens.getByHash((await import('../src/auth/tokens.ts')).hashToken(s.token));
    const deleted = byEvent.get('issue.delete');
    assert.equal(deleted.actor.name, `token:${me!.id}`);
    assert.equal(deleted.data.short_id, issue.shortId);
    assert.equal(deleted.data.title, 'Doomed issue');
    assert.equal(deleted.targetObject, Number(issue.id));
    assert.equal(deleted.ipAddress, null);
    assert.match(deleted.dateCreated, /Z$/);
    const revoked = byEvent.get('api-token.revoke');
    assert.equal(revoked.actor.name, 'user:42');
    assert.equal(revoked.data.token_prefix, victimRow!.tokenPrefix);
    assert.ok(!JSON.stringify(log.body).includes(victim), 'the token itself is never logged');
    assert.ok(!JSON.stringify(log.body).includes(victimRow!.tokenHash), 'nor its hash');
    const rotation = byEvent.get('projectkey.rotate');
    assert.equal(rotation.actor.name, `token:${me!.id}`);
    const retired = (await store.keys.listByProject(Number(s.projectId))).find((k) => !k.isActive);
    assert.equal(rotation.targetObject, retired!.id);
  });

  test('a change that changes nothing writes no row; every action written is listed in options', async () => {
    const s = await t.setup();
    const api = apiClient(t.url, s.token);
    const org = `/api/0/organizations/${s.org}`;
    const project = `/api/0/projects/${s.org}/${s.project}`;
    const member = await memberWithToken(t, s.org, 'Nell', 'member');
    const [key] = (await api.get(`${project}/keys/`)).body;
    const rule = await api.post(`${project}/alert-rules/`, { name: 'Quiet', detector: 'new_issue' });
    assert.equal(rule.status, 201, JSON.stringify(rule.body));
    const runbook = await api.post(`${org}/runbooks/`, {
      title: 'Restart',
      body: '# Restart\n',
      projects: [s.project],
      tags: ['service:b', 'service:a'],
    });
    assert.equal(runbook.status, 201, JSON.stringify(runbook.body));
    const rows = async () => (await api.get(`${org}/audit-logs/`)).body.rows.map((row: any) => row.event);
    const before = await rows();

    const sameAgain = [
      api.put(`${org}/members/${member.user.id}/`, { orgRole: 'member' }),
      api.put(`${project}/keys/${key.id}/`, { name: key.name, isActive: true }),
      api.put(`${project}/alert-rules/${rule.body.id}/`, { name: 'Quiet', enabled: true }),
      api.put(`${org}/runbooks/${runbook.body.id}/`, {
        title: 'Restart',
        tags: ['service:a', 'service:b'],
      }),
    ];
    for (const answer of await Promise.all(sameAgain))
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assert.deepEqual(await rows(), before, 'no-ops wrote nothing');

    await api.put(`${project}/alert-rules/${rule.body.id}/`, { name: 'Quiet', enabled: false });
    const after = await api.get(`${org}/audit-logs/`);
    assert.equal(after.body.rows[0].event, 'rule.edit');
    assert.deepEqual(after.body.rows[0].data.changed, ['enabled'], 'only what changed is named');
    for (const event of new Set([...(await rows())])) assert.ok(after.body.options.includes(event), event);
  });

  test('a token without org:write gets 403; another organisation gets 404', async () => {
    const s = await t.setup();
    const other = await t.setup();
    const reader = await mintToken(t, { org: s.org, scopes: ['org:read', 'project:write'] });
    assert.equal(
      (await apiClient(t.url, reader).get(`/api/0/organizations/${s.org}/audit-logs/`)).status,
      403,
    );
    const outsider = await apiClient(t.url, other.token).get(`/api/0/organizations/${s.org}/audit-logs/`);
    assert.equal(outsider.status, 404);
  });
});
