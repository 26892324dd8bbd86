import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { SetupResult } from '../src/projects/setup-project.ts';
import { apiClient, mintToken } from './helpers/issues.ts';
import { type SentryMcp, startSentryMcp } from './helpers/mcp.ts';
import { runSdkApp } from './helpers/run.ts';
import { startTestServer, type TestServer } from './helpers/server.ts';

const RELEASE = 'web@1.2.3';
const CHECKOUT_ERROR = 'RangeError: cart is empty';
const LOAD_USER_ERROR = "TypeError: Cannot read properties of undefined (reading 'user')";
/** What docs/sentry-mcp.md tells users to grant the agent's token: reading, plus triage. */
const AGENT_SCOPES = ['org:read', 'project:read', 'team:read', 'event:read', 'event:write'];

/**
 * Sentry's own MCP server (@sentry/mcp-server, pinned), unchanged, over stdio with no LLM key,
 * reading what the real @sentry/node SDK sent to Firebreak: the core triage tools an agent uses.
 */
describe("Sentry's MCP server against Firebreak, end to end", () => {
  let t: TestServer;
  let a: SetupResult;
  let api: ReturnType<typeof apiClient>;
  let mcp: SentryMcp;
  let sent: Record<string, string[]>;
  let checkoutIssue: { id: string; shortId: string };

  before(async () => {
    t = await startTestServer();
    a = await t.setup();
    api = apiClient(t.url, a.token);
    sent = await runSdkApp('paths', {
      SENTRY_DSN: a.dsn,
      SENTRY_RELEASE: RELEASE,
      SENTRY_ENVIRONMENT: 'production',
    });
    const team = await api.post(`/api/0/organizations/${a.org}/teams/`, { name: 'Checkout Squad' });
    assert.equal(team.status, 201, JSON.stringify(team.body));
    const deploy = await api.post(
      `/api/0/organizations/${a.org}/releases/${encodeURIComponent(RELEASE)}/deploys/`,
      { environment: 'production', name: 'deploy 7' },
    );
    assert.equal(deploy.status, 201, JSON.stringify(deploy.body));
    const issues = await api.get(`/api/0/projects/${a.org}/${a.project}/issues/`);
    assert.equal(issues.status, 200, JSON.stringify(issues.body));
    checkoutIssue = issues.body.find((issue: { title: string }) => issue.title === CHECKOUT_ERROR);
    assert.ok(checkoutIssue, JSON.stringify(issues.body));
    const agentToken = await mintToken(t, { org: a.org, scopes: AGENT_SCOPES });
    mcp = await startSentryMcp(t.url, agentToken, ['--disable-skills=seer']);
  });
  after(async () => {
    await mcp?.close();
    await t?.close();
  });

  const call = async (name: string, args: Record<string, unknown>) => {
    const answer = await mcp.call(name, args);
    assert.equal(answer.isError, false, `${name}: ${answer.text}`);
    return answer.text;
  };

  test('runs without an LLM (search tools take Sentry query syntax as is) and without Seer', async () => {
    assert.match(mcp.stderr(), /No LLM API key found/);
    const { tools } = await mcp.client.listTools();
    const names = tools.map((tool) => tool.name);
    assert.ok(names.includes('search_issues') && names.includes('update_issue'), names.join());
    assert.ok(!names.includes('analyze_issue_with_seer'), names.join());
  });

  test('find_organizations, find_projects and find_teams name what the test created', async () => {
    const orgs = await call('find_organizations', {});
    assert.match(orgs, new RegExp(`"slug": "${a.org}"`));
    assert.match(orgs, new RegExp(`"webUrl": "${t.url}/organizations/${a.org}/"`));
    assert.match(
      await call('find_projects', { organizationSlug: a.org }),
      new RegExp(`"slug": "${a.project}"`),
    );
    assert.match(await call('find_teams', { organizationSlug: a.org }), /"slug": "checkout-squad"/);
  });

  test('find_releases shows the release the SDK named, its project, issues and deploy', async () => {
    const release = JSON.parse(
      await call('find_releases', { organizationSlug: a.org, projectSlug: a.project }),
    );
    assert.deepEqual(
      release.releases.map((r: Record<string, unknown>) => [r.version, r.projects, r.newIssues]),
      [['1.2.3', [a.project], 2]],
    );
    assert.equal(release.releases[0].lastDeploy.environment, 'production');
    const byQuery = await call('find_releases', { organizationSlug: a.org, query: 'web@1.2' });
    assert.match(byQuery, /"version": "1\.2\.3"/);
    assert.match(
      await call('find_releases', { organizationSlug: a.org, query: 'web@9' }),
      /"releases": \[\]/,
    );
  });

  test('search_issues sends a raw Sentry query and lists only the matching issues', async () => {
    const all = await call('search_issues', {
      organizationSlug: a.org,
      projectSlugOrId: a.project,
      query: `is:unresolved release:${RELEASE}`,
    });
    assert.match(all, /Found \*\*2\*\* issues/);
    assert.ok(all.includes(CHECKOUT_ERROR) && all.includes(LOAD_USER_ERROR), all);
    const ranges = await call('search_issues', {
      organizationSlug: a.org,
      query: 'is:unresolved error.type:RangeError',
      sort: 'freq',
    });
    assert.ok(ranges.includes(CHECKOUT_ERROR) && ranges.includes(checkoutIssue.shortId), ranges);
    assert.ok(!ranges.includes(LOAD_USER_ERROR), ranges);
  });

  test('search_events sends a raw query to Discover: the events and an aggregate', async () => {
    const events = await call('search_events', {
      organizationSlug: a.org,
      projectSlug: a.project,
      dataset: 'errors',
      query: 'error.type:RangeError',
    });
    assert.match(events, /Found 1 error/);
    assert.ok(events.includes(CHECKOUT_ERROR) && events.includes(checkoutIssue.shortId), events);
    assert.match(events, /\*\*culprit\*\*: sdk-app-routes in checkout/);
    assert.ok(!events.includes(LOAD_USER_ERROR), events);

    const counts = await call('search_events', {
      organizationSlug: a.org,
      dataset: 'errors',
      query: `release:${RELEASE}`,
      fields: ['title', 'count()'],
      sort: '-count()',
      period: '24h',
    });
    assert.match(counts, /Found 2 aggregate results/);
    assert.ok(counts.includes(CHECKOUT_ERROR) && counts.includes('"count()": 1'), counts);
  });

  test('get_issue_details shows the issue and the event the SDK captured', async () => {
    const details = await call('get_issue_details', {
      organizationSlug: a.org,
      issueId: checkoutIssue.shortId,
    });
    assert.match(details, new RegExp(`# Issue ${checkoutIssue.shortId} in \\*\\*${a.org}\\*\\*`));
    assert.ok(details.includes(`**Description**: ${CHECKOUT_ERROR}`), details);
    assert.ok(details.includes(`**Event ID**: ${sent.checkout[0]}`), details);
    assert.match(details, /at checkout \(.*sdk-app-routes\.mjs:7:\d+\)/);
  });

  test('update_issue resolves the issue in Firebreak', async () => {
    const updated = await call('update_issue', {
      organizationSlug: a.org,
      issueId: checkoutIssue.shortId,
      status: 'resolved',
    });
    assert.match(updated, /\*\*Status\*\*: unresolved → \*\*resolved\*\*/);
    const issue = await api.get(`/api/0/organizations/${a.org}/issues/${checkoutIssue.id}/`);
    assert.equal(issue.body.status, 'resolved');
    const unresolved = await call('search_issues', { organizationSlug: a.org, query: 'is:unresolved' });
    assert.ok(!unresolved.includes(CHECKOUT_ERROR) && unresolved.includes(LOAD_USER_ERROR), unresolved);
  });

  test('an unknown issue is an MCP error, not a crash', async () => {
    const missing = await mcp.call('get_issue_details', { organizationSlug: a.org, issueId: 'NOPE-404' });
    assert.equal(missing.isError, true);
    assert.match(missing.text, /404/);
  });
});
