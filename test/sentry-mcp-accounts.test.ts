import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { SetupResult } from '../src/projects/setup-project.ts';
import { type SentryMcp, startSentryMcp } from './helpers/mcp.ts';
import { startTestServer, type TestServer } from './helpers/server.ts';

/** Sentry's own MCP server (stdio, plain http) driving the accounts API: identity and project management. */
describe("Sentry's MCP server against the accounts API", () => {
  let t: TestServer;
  let a: SetupResult;
  let mcp: SentryMcp;
  before(async () => {
    t = await startTestServer();
    a = await t.setup();
    mcp = await startSentryMcp(t.url, a.token, ['--all-skills']);
  });
  after(async () => {
    await mcp?.close();
    await t.close();
  });

  const tool = async (name: string, args: Record<string, unknown>) => {
    const answer = await mcp.call(name, args);
    assert.ok(!answer.isError, `${name}: ${answer.text}\n${mcp.stderr()}`);
    return answer.text;
  };
  const store = () => t.server.ctx.store;
  const orgId = async () => (await store().orgs.getBySlug(a.org))!.id;

  test('whoami and find_organizations answer for a token without a user', async () => {
    assert.match(await tool('whoami', {}), /"id": "token:\d+"/);
    const orgs = await tool('find_organizations', {});
    assert.match(orgs, new RegExp(`"slug": "${a.org}"`));
    assert.match(orgs, /"regionUrl": null/);
  });

  test('create_team, create_project, find_dsns, create_dsn, update_dsn land in the store', async () => {
    await tool('create_team', { organizationSlug: a.org, name: 'sre' });
    const team = await store().teams.getBySlug(await orgId(), 'sre');
    assert.ok(team);
    const created = await tool('create_project', {
      organizationSlug: a.org,
      teamSlug: 'sre',
      name: 'agent-app',
      platform: 'node',
    });
    const project = await store().projects.getBySlug(await orgId(), 'agent-app');
    assert.equal(project?.platform, 'node');
    const [defaultKey] = await store().keys.listByProject(project!.id);
    assert.match(created, new RegExp(defaultKey.publicKey));
    assert.deepEqual(
      (await store().teams.projects([team.id])).get(team.id)?.map((p) => p.slug),
      ['agent-app'],
    );

    assert.match(
      await tool('find_dsns', { organizationSlug: a.org, projectSlug: 'agent-app' }),
      new RegExp(defaultKey.publicKey),
    );
    await tool('create_dsn', { organizationSlug: a.org, projectSlug: 'agent-app', name: 'ci' });
    const ci = (await store().keys.listByProject(project!.id)).find((k) => k.label === 'ci');
    assert.ok(ci?.isActive);
    await tool('update_dsn', {
      organizationSlug: a.org,
      projectSlug: 'agent-app',
      keyId: ci.publicKey,
      isActive: false,
      rateLimitWindow: 60,
      rateLimitCount: 10,
    });
    const updated = await store().keys.getByPublicKey(ci.publicKey);
    assert.deepEqual(
      [updated?.isActive, updated?.rateLimitCount, updated?.rateLimitWindowSeconds],
      [false, 10, 60],
    );
  });

  test('update_project, add_team_to_project and remove_team_from_project', async () => {
    await tool('update_project', {
      organizationSlug: a.org,
      projectSlug: a.project,
      name: 'Renamed by agent',
    });
    assert.equal((await store().projects.getBySlug(await orgId(), a.project))?.name, 'Renamed by agent');
    await tool('create_team', { organizationSlug: a.org, name: 'web' });
    await tool('create_team', { organizationSlug: a.org, name: 'mobile' });
    await tool('add_team_to_project', { organizationSlug: a.org, projectSlug: a.project, teamSlug: 'web' });
    await tool('add_team_to_project', {
      organizationSlug: a.org,
      projectSlug: a.project,
      teamSlug: 'mobile',
    });
    await tool('remove_team_from_project', {
      organizationSlug: a.org,
      projectSlug: a.project,
      teamSlug: 'web',
    });
    const project = await store().projects.getBySlug(await orgId(), a.project);
    const teams = (await store().teams.listByProjects([project!.id])).get(project!.id);
    assert.deepEqual(
      teams?.map((team) => team.slug),
      ['mobile'],
    );
    assert.match(await tool('find_teams', { organizationSlug: a.org }), /"slug": "mobile"/);
  });
});
