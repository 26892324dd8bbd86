import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { manualClock } from '../src/clock.ts';
import type { SetupResult } from '../src/projects/setup-project.ts';
import { apiClient, mintToken, sendEvent, startServerOn } from './helpers/issues.ts';
import type { TestServer } from './helpers/server.ts';

const T0 = Date.parse('2026-11-22T09:00:00Z');
const MINUTE = 60_000;
const iso = (minutesAgo: number) => new Date(T0 - minutesAgo * MINUTE).toISOString();
const at = (minutesAgo: number) => (T0 - minutesAgo * MINUTE) / 1000;

/** An exception raised in an in-app checkout frame, under a library frame that is not in-app. */
function cartError(minutesAgo: number, extra: Record<string, unknown>) {
  return {
    timestamp: at(minutesAgo),
    platform: 'node',
    transaction: '/checkout',
    request: { url: 'https://shop.example/checkout', method: 'POST' },
    exception: {
      values: [
        {
          type: 'TypeError',
          value: 'cart is null',
          stacktrace: {
            frames: [
              {
                abs_path: '/app/src/server.js',
                filename: 'src/server.js',
                function: 'handle',
                lineno: 7,
                in_app: true,
              },
              {
                abs_path: '/app/src/checkout/cart.js',
                filename: 'src/checkout/cart.js',
                function: 'addItem',
                lineno: 42,
                context_line: '  cart.items.push(item);',
                in_app: true,
              },
              {
                abs_path: '/app/node_modules/lodash/lodash.js',
                filename: 'node_modules/lodash/lodash.js',
                function: 'push',
                lineno: 10,
                in_app: false,
              },
            ],
          },
        },
      ],
    },
    ...extra,
  };
}

for (const backend of ['sqlite', 'postgres'] as const) {
  describe(`incident triage (${backend})`, () => {
    let t: TestServer;
    const clock = manualClock(T0);
    before(async () => {
      t = await startServerOn(backend, { clock });
    });
    after(() => t.close());

    async function issueOf(s: SetupResult, project: string, title: string) {
      const list = await apiClient(t.url, s.token).get(`/api/0/projects/${s.org}/${project}/issues/`);
      const found = list.body.find((i: any) => i.title === title);
      assert.ok(found, `no issue ${title} in ${project}: ${JSON.stringify(list.body)}`);
      return found;
    }

    async function release(s: SetupResult, version: string, project: string, commits: unknown[] = []) {
      const api = apiClient(t.url, s.token);
      const created = await api.post(`/api/0/organizations/${s.org}/releases/`, {
        version,
        projects: [project],
        commits,
      });
      assert.ok(created.status < 300, JSON.stringify(created.body));
    }

    async function deploy(s: SetupResult, version: string, environment: string, minutesAgo: number) {
      const api = apiClient(t.url, s.token);
      const answer = await api.post(`/api/0/organizations/${s.org}/releases/${version}/deploys/`, {
        environment,
        dateFinished: iso(minutesAgo),
      });
      assert.equal(answer.status, 201, JSON.stringify(answer.body));
    }

    /**
     * Two linked issues in two projects (web: a new checkout error after the web@2 deploy; api: an
     * older payment timeout), a rising issue and a steady one in a third project, and deploys.
     */
    async function mainScenario() {
      const web = await t.setup();
      const api = await t.setup(web.org, `api${web.projectId}`);
      const jobs = await t.setup(web.org, `jobs${web.projectId}`);
      await release(web, 'web@0', web.project);
      await release(web, 'web@1', web.project);
      await release(web, 'web@2', web.project, [
        {
          id: 'c2',
          repository: 'acme/web',
          message: 'cart: lazy load items',
          author_name: 'Jane Dev',
          author_email: 'jane@example.com',
          patch_set: [{ path: 'src/checkout/cart.js', type: 'M' }],
        },
        { id: 'c1', repository: 'acme/web', message: 'docs', patch_set: [{ path: 'README.md', type: 'M' }] },
      ]);
      await deploy(web, 'web@0', 'production', 2 * 24 * 60);
      await deploy(web, 'web@1', 'production', 180);
      await deploy(web, 'web@2', 'staging', 40);
      await deploy(web, 'web@2', 'production', 30);

      // Checkout error: 3 events in the hour before the window, 9 in it; users u1–u4.
      const minutes = [25, 22, 20, 13, 12, 11, 10, 8, 6, 4, 3, 1];
      const users = ['u1', 'u2', 'u1', 'u1', 'u2', 'u3', 'u4', 'u1', 'u2', 'u3', 'u4', 'u1'];
      for (const [i, minutesAgo] of minutes.entries()) {
        const tags: Record<string, string> = {};
        const contexts: Record<string, unknown> = {};
        if (i < 6) tags.organization = 'acme';
        else if (i < 9) tags.organization = 'globex';
        else if (i < 11) contexts.organization = { slug: 'initech', name: 'Initech' };
        if (i < 8) tags.region = 'eu-west-1';
        else contexts.cloud_resource = { 'cloud.provider': 'aws', 'cloud.region': 'us-east-1' };
        await sendEvent(t, web, cartError(minutesAgo, { tags, contexts, user: { id: users[i] } }));
      }
      // Payment timeout: first seen 5 hours ago; 2 events before the window, 4 in it; users u4–u7.
      const pay = (minutesAgo: number, user: string, tenant?: string) =>
        sendEvent(t, api, {
          message: 'Payment timeout',
          timestamp: at(minutesAgo),
          transaction: 'POST /pay',
          user: { id: user },
          tags: tenant ? { tenant } : {},
        });
      await pay(300, 'u7');
      await pay(50, 'u6', 'acme');
      await pay(30, 'u6');
      await pay(12, 'u4', 'acme');
      await pay(9, 'u5', 'acme');
      await pay(5, 'u5');
      await pay(2, 'u5');
      // Not linked: a queue error that started in the window, and a steady one (same rate).
      for (const m of [14, 11, 9, 7, 5, 2])
        await sendEvent(t, jobs, { message: 'Queue full', timestamp: at(m) });
      for (let m = 72; m > 0; m -= 3) await sendEvent(t, jobs, { message: 'Cron drift', timestamp: at(m) });

      const cart = await issueOf(web, web.project, 'TypeError: cart is null');
      const payment = await issueOf(web, api.project, 'Payment timeout');
      const queue = await issueOf(web, jobs.project, 'Queue full');
      const client = apiClient(t.url, web.token);
      const declared = await client.post(`/api/0/organizations/${web.org}/incidents/`, {
        issues: [cart.shortId, payment.shortId],
      });
      assert.equal(declared.status, 201, JSON.stringify(declared.body));
      const path = `/api/0/organizations/${web.org}/incidents/${declared.body.ref}/triage/`;
      return { web, api, jobs, cart, payment, queue, client, path };
    }

    test('main scenario: the numbers equal what was sent; many users, many features → roll back first', async () => {
      const { web, api, cart, payment, queue, client, path } = await mainScenario();
      const answer = await client.get(path);
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      const report = answer.body;

      assert.equal(report.generatedAt, iso(0));
      assert.deepEqual(report.window, { minutes: 15, start: iso(14), end: iso(-1) });
      assert.deepEqual(report.baseline, { minutes: 60, start: iso(74), end: iso(14) });

      const [c, p] = report.issues;
      assert.deepEqual(
        [c.id, c.shortId, p.id, p.shortId],
        [cart.id, cart.shortId, payment.id, payment.shortId],
      );
      assert.deepEqual(c.events, {
        window: 9,
        baseline: 3,
        perMinute: 0.6,
        baselinePerMinute: 0.05,
        ratio: 12,
      });
      assert.deepEqual(p.events, {
        window: 4,
        baseline: 2,
        perMinute: 0.27,
        baselinePerMinute: 0.03,
        ratio: 8,
      });
      assert.deepEqual(report.total.events, {
        window: 13,
        baseline: 5,
        perMinute: 0.87,
        baselinePerMinute: 0.08,
        ratio: 10.4,
      });
      assert.deepEqual(c.users, { window: 4, recent: 4, overall: 4 });
      assert.deepEqual(p.users, { window: 2, recent: 3, overall: 4 });
      assert.deepEqual(report.total.users, { window: 5, recent: 6, overall: 7 });

      const values = (b: any) => b.values.map((v: any) => [v.value, v.count]);
      assert.deepEqual(values(c.affected.organizations), [
        ['acme', 6],
        ['globex', 3],
        ['initech', 2],
      ]);
      assert.deepEqual(values(p.affected.organizations), [['acme', 3]]);
      assert.deepEqual(p.affected.organizations.sources, ['tag:tenant']);
      const orgs = report.total.affected.organizations;
      assert.deepEqual(values(orgs), [
        ['acme', 9],
        ['globex', 3],
        ['initech', 2],
      ]);
      assert.deepEqual(orgs.sources, ['context:organization', 'tag:organization', 'tag:tenant']);
      assert.equal(orgs.events, 14);
      assert.deepEqual(values(report.total.affected.regions), [
        ['eu-west-1', 8],
        ['us-east-1', 4],
      ]);
      assert.deepEqual(values(report.total.affected.transactions), [
        ['/checkout', 12],
        ['POST /pay', 6],
      ]);
      assert.deepEqual(values(report.total.affected.urls), [['https://shop.example/checkout', 12]]);

      assert.equal(c.firstSeen, iso(25));
      assert.equal(c.deployBeforeFirstSeen.version, 'web@2');
      assert.equal(c.deployBeforeFirstSeen.environment, 'production');
      assert.equal(c.deployBeforeFirstSeen.minutesBefore, 5);
      assert.equal(p.deployBeforeFirstSeen, null);
      assert.equal(report.total.firstSeen, iso(300));
      assert.equal(report.total.deployBeforeFirstSeen.version, 'web@0');
      assert.deepEqual(
        report.total.latestDeploys.map((d: any) => [d.version, d.environment, d.dateFinished, d.projects]),
        [
          ['web@2', 'production', iso(30), [web.project]],
          ['web@1', 'production', iso(180), [web.project]],
          ['web@0', 'production', iso(2 * 24 * 60), [web.project]],
        ],
      );
      assert.deepEqual(
        [c.topFrame.function, c.topFrame.filename, c.topFrame.lineno, c.topFrame.inApp],
        ['addItem', 'src/checkout/cart.js', 42, true],
      );
      assert.equal(report.total.topFrame.shortId, cart.shortId);

      const blast = report.blastRadius;
      assert.equal(blast.class, 'many_users_many_features');
      assert.equal(blast.recommendation, 'rollback_first');
      assert.equal(blast.events, 18);
      assert.equal(blast.users, 6);
      assert.equal(blast.features.dimension, 'transaction');
      assert.deepEqual(blast.features.names, [
        { name: `${web.project}:/checkout`, count: 12 },
        { name: `${api.project}:POST /pay`, count: 6 },
      ]);
      assert.match(blast.reason, /6 users, 2 features/);

      const suspects = report.suspects;
      assert.equal(suspects.deploy.version, 'web@2');
      assert.equal(suspects.deploy.environment, 'production');
      assert.equal(suspects.deploy.dateFinished, iso(30));
      assert.deepEqual(suspects.deploy.implicatedIssues, [
        {
          id: cart.id,
          shortId: cart.shortId,
          reason: 'first_seen',
          minutesAfter: 5,
          eventsBefore: null,
          eventsAfter: null,
        },
      ]);
      // The staging deploy of web@2 is neither the suspect nor the target: production's previous is web@1.
      assert.deepEqual(
        { ...suspects.rollbackTarget, deployId: undefined },
        { version: 'web@1', environment: 'production', deployedAt: iso(180), deployId: undefined },
      );
      assert.deepEqual(
        suspects.commits.map((x: any) => [x.id, x.repository, x.author.email, x.files, x.issues]),
        [['c2', 'acme/web', 'jane@example.com', ['src/checkout/cart.js'], [cart.shortId]]],
      );
      assert.deepEqual(
        suspects.correlatedIssues.map((x: any) => [
          x.shortId,
          x.title,
          x.project.slug,
          x.events.window,
          x.events.baseline,
        ]),
        [[queue.shortId, 'Queue full', queue.project.slug, 6, 0]],
      );
      assert.equal(
        report.summary,
        `many users, many features (${web.project}:/checkout, ${api.project}:POST /pay): roll back first, debug after — 13 events/15 min (5 in the hour before), 6 users; suspect deploy web@2 (production), roll back to web@1`,
      );
    });

    /** One project, its issue's events (built by `events`), declared as INC-1 of a fresh organisation. */
    async function scenario(events: Record<string, unknown>[], title: string) {
      const s = await t.setup();
      for (const event of events) await sendEvent(t, s, event);
      const issue = await issueOf(s, s.project, title);
      const client = apiClient(t.url, s.token);
      const declared = await client.post(`/api/0/organizations/${s.org}/incidents/`, { issues: [issue.id] });
      assert.equal(declared.status, 201, JSON.stringify(declared.body));
      const path = `/api/0/organizations/${s.org}/incidents/${declared.body.ref}/triage/`;
      return { s, issue, client, path };
    }

    test('single user, single feature → investigate; no deploy, no suspects', async () => {
      const { client, path } = await scenario(
        [10, 6, 2].map((m) => ({
          message: 'Avatar upload failed',
          timestamp: at(m),
          transaction: '/settings/avatar',
          user: { email: 'solo@example.com' },
        })),
        'Avatar upload failed',
      );
      const report = (await client.get(path)).body;
      assert.equal(report.blastRadius.class, 'single_user_single_feature');
      assert.equal(report.blastRadius.recommendation, 'investigate');
      assert.deepEqual(report.blastRadius.features.names, [{ name: '/settings/avatar', count: 3 }]);
      assert.equal(report.blastRadius.users, 1);
      assert.deepEqual(report.suspects.deploy, null);
      assert.deepEqual(report.suspects.rollbackTarget, null);
      assert.deepEqual(report.suspects.commits, []);
      assert.equal(
        report.summary,
        'single user, single feature (/settings/avatar): investigate — 3 events/15 min (0 in the hour before), 1 user',
      );
    });

    test('a deploy that finished later in the minute of the errors is not blamed for them', async () => {
      const s = await t.setup();
      const client = apiClient(t.url, s.token);
      await release(s, 'late@1', s.project);
      await release(s, 'late@2', s.project);
      await deploy(s, 'late@1', 'production', 20 * 60);
      const burstAt = (second: number) => 20 - second / 60;
      await sendEvent(t, s, { message: 'Queue backed up', timestamp: at(180) });
      // Ten events at :05–:14 of one minute; the deploy finishes at :35 of that minute.
      for (let i = 0; i < 10; i++)
        await sendEvent(t, s, { message: 'Queue backed up', timestamp: at(burstAt(5 + i)) });
      await deploy(s, 'late@2', 'production', burstAt(35));
      const issue = await issueOf(s, s.project, 'Queue backed up');
      const declared = await client.post(`/api/0/organizations/${s.org}/incidents/`, { issues: [issue.id] });
      const report = (
        await client.get(`/api/0/organizations/${s.org}/incidents/${declared.body.ref}/triage/`)
      ).body;
      assert.equal(report.suspects.deploy, null, JSON.stringify(report.suspects.deploy));
    });

    test('many users, one component (noise under 5 % ignored) → investigate and consider rollback; a rate jump names the deploy', async () => {
      const s = await t.setup();
      const client = apiClient(t.url, s.token);
      const settings = await client.put(`/api/0/organizations/${s.org}/incident-settings/`, {
        componentTag: 'service',
      });
      assert.equal(settings.status, 200, JSON.stringify(settings.body));
      await release(s, 'svc@1', s.project);
      await release(s, 'svc@2', s.project);
      await deploy(s, 'svc@1', 'production', 20 * 60);
      await deploy(s, 'svc@2', 'production', 20);
      const stale = (m: number, service: string, user: string) =>
        sendEvent(t, s, {
          message: 'Search index stale',
          timestamp: at(m),
          tags: { service },
          user: { id: user },
        });
      await stale(180, 'checkout', 'x1');
      for (let m = 19; m >= 0; m--) await stale(m, 'checkout', `x${(m % 5) + 1}`);
      await stale(3, 'search', 'x1');
      const issue = await issueOf(s, s.project, 'Search index stale');
      const declared = await client.post(`/api/0/organizations/${s.org}/incidents/`, { issues: [issue.id] });
      const report = (
        await client.get(`/api/0/organizations/${s.org}/incidents/${declared.body.ref}/triage/`)
      ).body;
      const blast = report.blastRadius;
      assert.equal(blast.class, 'many_users_one_feature');
      assert.equal(blast.recommendation, 'investigate_and_consider_rollback');
      assert.equal(blast.users, 5);
      assert.equal(blast.events, 21);
      assert.equal(blast.features.dimension, 'component');
      assert.equal(blast.features.componentTag, 'service');
      assert.deepEqual(blast.features.names, [{ name: 'checkout', count: 20 }]);
      assert.deepEqual(blast.features.ignored, [{ name: 'search', count: 1 }]);
      assert.equal(report.suspects.deploy.version, 'svc@2');
      assert.deepEqual(
        report.suspects.deploy.implicatedIssues.map((i: any) => [
          i.shortId,
          i.reason,
          i.eventsBefore,
          i.eventsAfter,
        ]),
        [[issue.shortId, 'rate_jump', 0, 21]],
      );
      assert.equal(report.suspects.rollbackTarget.version, 'svc@1');
      assert.equal(report.suspects.rollbackTarget.deployedAt, iso(20 * 60));
      assert.match(
        report.summary,
        /^many users, one feature \(checkout\): investigate and consider rollback — 16 events\/15 min \(5 in the hour before\), 5 users; suspect deploy svc@2 \(production\), roll back to svc@1$/,
      );
    });

    test('many users, many features from URL paths → roll back first', async () => {
      const visits: [string, string][] = [
        ['/orders/17', 'y1'],
        ['/orders/42', 'y2'],
        ['/orders/99', 'y3'],
        ['/cart', 'y1'],
        ['/cart', 'y2'],
      ];
      const { client, path } = await scenario(
        visits.map(([url, user], i) => ({
          message: 'Price service unavailable',
          timestamp: at(10 - i),
          request: { url: `https://shop.example${url}` },
          user: { id: user },
        })),
        'Price service unavailable',
      );
      const blast = (await client.get(path)).body.blastRadius;
      assert.equal(blast.class, 'many_users_many_features');
      assert.equal(blast.recommendation, 'rollback_first');
      assert.equal(blast.features.dimension, 'url');
      assert.deepEqual(blast.features.names, [
        { name: '/orders/*', count: 3 },
        { name: '/cart', count: 2 },
      ]);
      assert.equal(blast.users, 3);
    });

    test("the top frame comes from the counted environment's latest event", async () => {
      const s = await t.setup();
      const client = apiClient(t.url, s.token);
      const send = (environment: string, minutesAgo: number, fn: string) =>
        sendEvent(t, s, {
          environment,
          timestamp: at(minutesAgo),
          fingerprint: ['cart-frames'],
          exception: {
            values: [
              {
                type: 'CartError',
                value: 'cart frames',
                stacktrace: { frames: [{ filename: 'app.js', function: fn, lineno: 7, in_app: true }] },
              },
            ],
          },
        });
      await send('production', 6, 'chargeCard');
      await send('staging', 2, 'seedFixtures');
      const issue = await issueOf(s, s.project, 'CartError: cart frames');
      const declared = await client.post(`/api/0/organizations/${s.org}/incidents/`, { issues: [issue.id] });
      const path = `/api/0/organizations/${s.org}/incidents/${declared.body.ref}/triage/`;
      const frame = async (query: string) =>
        (await client.get(`${path}${query}`)).body.issues[0].topFrame.function;
      assert.equal(await frame(''), 'seedFixtures', 'every environment: the latest event');
      assert.equal(await frame('?environment=production'), 'chargeCard');
      assert.equal(await frame('?environment=development'), 'seedFixtures', 'none there: the latest of any');
    });

    test("a production incident's triage counts production's events: staging noise does not widen its blast radius", async () => {
      const s = await t.setup();
      const client = apiClient(t.url, s.token);
      const send = (environment: string, minutesAgo: number, user: string, transaction: string) =>
        sendEvent(t, s, {
          message: 'Cart lost',
          environment,
          timestamp: at(minutesAgo),
          transaction,
          user: { id: user },
        });
      // Production: one customer, one feature. Staging: three testers clicking everywhere.
      for (const m of [40, 10, 8, 6, 4]) await send('production', m, 'p1', '/checkout');
      const staging: [number, string, string][] = [
        [30, 's1', '/search'],
        [9, 's1', '/search'],
        [7, 's2', '/admin'],
        [5, 's3', '/search'],
        [3, 's2', '/admin'],
        [2, 's3', '/reports'],
        [1, 's1', '/admin'],
      ];
      for (const [m, user, transaction] of staging) await send('staging', m, user, transaction);
      const issue = await issueOf(s, s.project, 'Cart lost');
      const declared = await client.post(`/api/0/organizations/${s.org}/incidents/`, { issues: [issue.id] });
      const path = `/api/0/organizations/${s.org}/incidents/${declared.body.ref}/triage/`;

      // The incident names no environment yet: every environment counts, and the report says so.
      const everywhere = (await client.get(path)).body;
      assert.equal(everywhere.environment.name, null);
      assert.match(everywhere.environment.text, /^every environment: /);
      assert.deepEqual([everywhere.total.events.window, everywhere.total.events.baseline], [10, 2]);
      assert.equal(everywhere.blastRadius.users, 4);
      assert.equal(everywhere.blastRadius.class, 'many_users_many_features');

      // Asked for one environment, or once the rollback is recorded in production: that one alone.
      const asked = await client.get(`${path}?environment=production`);
      assert.equal(asked.status, 200, JSON.stringify(asked.body));
      assert.equal(asked.body.environment.name, 'production');
      assert.equal(asked.body.total.events.window, 4);
      const rollback = await client.post(
        `/api/0/organizations/${s.org}/incidents/${declared.body.ref}/mitigations/`,
        {
          type: 'rollback',
          release: 'web@1',
          environment: 'production',
          runHooks: false,
        },
      );
      assert.equal(rollback.status, 201, JSON.stringify(rollback.body));
      const report = (await client.get(path)).body;
      assert.deepEqual(report.environment, {
        name: 'production',
        source: 'mitigation',
        text: "production only (the latest mitigation's environment)",
      });
      assert.deepEqual(report.total.events, {
        window: 4,
        baseline: 1,
        perMinute: 0.27,
        baselinePerMinute: 0.02,
        ratio: 16,
      });
      assert.deepEqual(report.issues[0].events, report.total.events);
      assert.deepEqual(report.total.users, { window: 1, recent: 1, overall: 1 });
      assert.deepEqual(report.issues[0].users, { window: 1, recent: 1, overall: 1 });
      assert.deepEqual(report.total.affected.transactions.values, [{ value: '/checkout', count: 5 }]);
      const blast = report.blastRadius;
      assert.deepEqual(
        [blast.class, blast.events, blast.users, blast.features.names],
        ['single_user_single_feature', 5, 1, [{ name: '/checkout', count: 5 }]],
      );
      assert.match(
        report.summary,
        /^single user, single feature \(\/checkout\): investigate — 4 events\/15 min .*; production only$/,
      );
      // Staging, asked for by name, is its own picture; a bad name is refused.
      const stagingOnly = (await client.get(`${path}?environment=staging`)).body;
      assert.deepEqual([stagingOnly.environment.source, stagingOnly.total.events.window], ['query', 6]);
      const bad = await client.get(`${path}?environment=${'x'.repeat(300)}`);
      assert.equal(bad.status, 400);
      assert.ok(bad.body.detail);
      // As a mitigation's environment: no leading '-', no line breaks.
      for (const name of ['-x', 'a%0Ab']) {
        const refused = await client.get(`${path}?environment=${name}`);
        assert.equal(refused.status, 400, name);
        assert.match(refused.body.detail, /must not start with "-" or contain line breaks/);
      }
    });

    test('an incident without issues has an empty report', async () => {
      const s = await t.setup();
      const client = apiClient(t.url, s.token);
      const declared = await client.post(`/api/0/organizations/${s.org}/incidents/`, { title: 'Login slow' });
      const answer = await client.get(`/api/0/organizations/${s.org}/incidents/${declared.body.ref}/triage/`);
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      assert.deepEqual(answer.body.issues, []);
      assert.equal(answer.body.total.events.window, 0);
      assert.equal(answer.body.blastRadius.class, 'none');
      assert.equal(answer.body.suspects.deploy, null);
    });

    test('scopes: incident:read reads, other scopes are 403, another organisation is 404', async () => {
      const { web, path } = await mainScenario();
      const reader = apiClient(t.url, await mintToken(t, { org: web.org, scopes: ['incident:read'] }));
      assert.equal((await reader.get(path)).status, 200);
      const events = apiClient(
        t.url,
        await mintToken(t, { org: web.org, scopes: ['event:read', 'org:read'] }),
      );
      const refused = await events.get(path);
      assert.equal(refused.status, 403);
      assert.ok(refused.body.detail);
      const stranger = apiClient(t.url, (await t.setup()).token);
      assert.equal((await stranger.get(path)).status, 404);
      const client = apiClient(t.url, web.token);
      assert.equal((await client.get(path.replace(/INC-\d+/, 'INC-999'))).status, 404);
      assert.equal((await client.get(path.replace(/INC-\d+/, 'bogus'))).status, 404);
    });
  });
}
