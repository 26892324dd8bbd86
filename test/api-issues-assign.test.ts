import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { apiClient, memberWithToken, sendEvent, titles } from './helpers/issues.ts';
import { startTestServer, type TestServer } from './helpers/server.ts';

describe('issue assignment, assigned: search, notes and activity', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer();
  });
  after(() => t.close());

  async function twoIssues() {
    const s = await t.setup();
    await sendEvent(t, s, { message: 'Login loop' });
    await sendEvent(t, s, { message: 'Slow search' });
    const api = apiClient(t.url, s.token);
    const list = (await api.get(`/api/0/projects/${s.org}/${s.project}/issues/`)).body;
    const id = (title: string) => list.find((i: any) => i.title === title).id as string;
    return { s, api, login: id('Login loop'), search: id('Slow search') };
  }

  test('assign to a user and to a team; search assigned:me, assigned:#team, email; unassign', async () => {
    const { s, api, login, search } = await twoIssues();
    const ada = await memberWithToken(t, s.org, 'Ada');
    const org = await t.server.ctx.store.orgs.getBySlug(s.org);
    const team = await t.server.ctx.store.teams.create({
      orgId: org!.id,
      slug: 'sre',
      name: 'SRE',
      now: Date.now(),
    });
    const issuePath = (id: string) => `/api/0/organizations/${s.org}/issues/${id}/`;
    const listPath = (query: string) =>
      `/api/0/projects/${s.org}/${s.project}/issues/?query=${encodeURIComponent(query)}`;

    const toUser = await api.put(issuePath(login), { assignedTo: `user:${ada.user.id}` });
    assert.equal(toUser.status, 200, JSON.stringify(toUser.body));
    assert.deepEqual(toUser.body.assignedTo, {
      type: 'user',
      id: String(ada.user.id),
      name: 'Ada',
      email: ada.user.email,
    });
    // The MCP server sends team slugs; sentry-cli style bulk update by id works the same way.
    const toTeam = await api.put(`/api/0/projects/${s.org}/${s.project}/issues/?id=${search}`, {
      assignedTo: 'team:sre',
    });
    assert.deepEqual(toTeam.body, { assignedTo: { type: 'team', id: String(team.id), name: 'sre' } });

    const adaApi = apiClient(t.url, ada.token);
    assert.deepEqual(titles(await adaApi.get(listPath('assigned:me'))), ['Login loop']);
    assert.deepEqual(titles(await adaApi.get(listPath('!assigned:me'))), ['Slow search']);
    assert.deepEqual(titles(await api.get(listPath('assigned:#sre'))), ['Slow search']);
    assert.deepEqual(titles(await api.get(listPath(`assigned:${ada.user.email}`))), ['Login loop']);
    assert.deepEqual(
      titles(await api.get(listPath(`assigned:${ada.user.email.toUpperCase()}`))),
      ['Login loop'],
      'an email is a member whatever its case',
    );
    assert.deepEqual(titles(await api.get(listPath('assigned:[#sre, none]'))), ['Slow search']);
    assert.deepEqual(titles(await api.get(listPath('is:assigned'))), ['Login loop', 'Slow search']);
    assert.deepEqual(titles(await api.get(listPath('has:assigned'))), ['Login loop', 'Slow search']);
    assert.deepEqual(titles(await adaApi.get(listPath('assigned_or_suggested:me'))), ['Login loop']);
    await t.server.ctx.store.teams.addMember(team.id, ada.user.id, Date.now());
    assert.deepEqual(titles(await adaApi.get(listPath('assigned:my_teams'))), ['Slow search']);

    const detail = (await api.get(issuePath(search))).body;
    assert.deepEqual(detail.assignedTo, { type: 'team', id: String(team.id), name: 'sre' });
    const unassigned = await api.put(issuePath(login), { assignedTo: '' });
    assert.equal(unassigned.body.assignedTo, null);
    assert.deepEqual(titles(await api.get(listPath('is:unassigned'))), ['Login loop']);
    const types = (await api.get(`${issuePath(login)}activities/`)).body.activity.map((a: any) => a.type);
    assert.deepEqual(types, ['unassigned', 'assigned', 'first_seen']);

    const stranger = await api.put(issuePath(login), { assignedTo: 'nobody@example.com' });
    assert.equal(stranger.status, 400);
    assert.match(stranger.body.detail, /not a member/);
    const otherOrg = await t.setup();
    const outsider = await memberWithToken(t, otherOrg.org, 'Eve');
    const foreign = await api.put(issuePath(login), { assignedTo: `user:${outsider.user.id}` });
    assert.equal(foreign.status, 400, 'a user of another organisation cannot be assigned');
    const missingTeam = await api.put(issuePath(login), { assignedTo: 'team:nope' });
    assert.equal(missingTeam.status, 400);
  });

  test('notes: written by a user, read back on /comments/ and /notes/, counted, in the activity', async () => {
    const { s, login } = await twoIssues();
    const ada = await memberWithToken(t, s.org, 'Ada');
    const api = apiClient(t.url, ada.token);
    const base = `/api/0/organizations/${s.org}/issues/${login}`;
    const created = await api.post(`${base}/comments/`, { text: 'Looking into it' });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.body.type, 'note');
    assert.deepEqual(created.body.data, { text: 'Looking into it' });
    assert.equal(created.body.user.id, String(ada.user.id));
    assert.match(created.body.dateCreated, /Z$/);
    const second = await api.post(`${base}/notes/`, { text: 'Fixed in deploy' });
    assert.equal(second.status, 201);

    const notes = await api.get(`${base}/notes/?per_page=1`);
    assert.deepEqual(
      notes.body.map((n: any) => n.data.text),
      ['Fixed in deploy'],
    );
    assert.match(notes.headers.get('link') ?? '', /rel="next"; results="true"/);
    const comments = await api.get(`${base}/comments/`);
    assert.deepEqual(
      comments.body.map((n: any) => n.data.text),
      ['Fixed in deploy', 'Looking into it'],
    );
    assert.equal((await api.get(`${base}/`)).body.numComments, 2);
    const activity = (await api.get(`${base}/activities/`)).body.activity;
    assert.deepEqual(
      activity.filter((a: any) => a.type === 'note').map((a: any) => a.user.email),
      [ada.user.email, ada.user.email],
    );
    const empty = await api.post(`${base}/comments/`, { text: '   ' });
    assert.equal(empty.status, 400);
    assert.match(empty.body.detail, /text/);
  });
});
