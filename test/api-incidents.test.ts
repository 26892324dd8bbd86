import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { manualClock } from '../src/clock.ts';
import { apiClient, memberWithToken, mintToken, sendEvent, startServerOn } from './helpers/issues.ts';
import { run } from './helpers/run.ts';
import type { TestServer } from './helpers/server.ts';

const T0 = Date.parse('2026-11-22T09:00:00Z');
const MINUTE = 60_000;

for (const backend of ['sqlite', 'postgres'] as const) {
  describe(`incidents API: declare, change, roles, timeline (${backend})`, () => {
    let t: TestServer;
    const clock = manualClock(T0);
    before(async () => {
      t = await startServerOn(backend, { clock });
    });
    after(() => t.close());

    /** An org with two projects, one issue in each, and a full-scope API client. */
    async function orgWithIssues() {
      const s = await t.setup();
      const other = await t.setup(s.org, `api${s.projectId}`);
      await sendEvent(t, s, { message: 'Checkout failed', timestamp: (T0 - 5 * MINUTE) / 1000 });
      await sendEvent(t, other, { message: 'Payment timeout', timestamp: (T0 - 4 * MINUTE) / 1000 });
      const api = apiClient(t.url, s.token);
      const web = (await api.get(`/api/0/projects/${s.org}/${s.project}/issues/`)).body[0];
      const pay = (await api.get(`/api/0/projects/${s.org}/${other.project}/issues/`)).body[0];
      const base = `/api/0/organizations/${s.org}/incidents/`;
      return { s, other, api, web, pay, base };
    }

    test('declare from issues across projects: number, title, services, milestones, links on the timeline', async () => {
      const { s, other, api, web, pay, base } = await orgWithIssues();
      const declared = await api.post(base, {
        issues: [web.shortId, pay.id],
        severity: 'P1',
        ticketUrl: 'https://linear.app/x/INC-1',
      });
      assert.equal(declared.status, 201, JSON.stringify(declared.body));
      const incident = declared.body;
      assert.equal(incident.ref, 'INC-1');
      assert.equal(incident.title, `${web.shortId}: Checkout failed`);
      assert.deepEqual(incident.services, [s.project, other.project]);
      assert.deepEqual(
        incident.issues.map((i: any) => i.shortId),
        [web.shortId, pay.shortId],
      );
      assert.equal(incident.status, 'triage');
      assert.equal(incident.milestones.firstEvent, new Date(T0 - 5 * MINUTE).toISOString());
      assert.equal(incident.milestones.declared, new Date(T0).toISOString());
      assert.equal(incident.durations.timeToDetect, 300);
      assert.equal(incident.severityDetails.responseMinutes, 0);
      // P1's cadence: a status update every 15 minutes.
      assert.equal(incident.update.nextDue, new Date(T0 + 15 * MINUTE).toISOString());
      const second = await api.post(base, { title: 'Queue backlog' });
      assert.equal(second.body.ref, 'INC-2');
      assert.equal(second.body.severity, 'P2');

      const timeline = (await api.get(`${base}INC-1/timeline/`)).body;
      assert.deepEqual(
        timeline.map((e: any) => e.kind),
        ['declared', 'issue_linked', 'issue_linked'],
      );
      assert.equal(timeline[0].actor.startsWith('token:') || timeline[0].actor.startsWith('user:'), true);

      const open = await api.get(`${base}?status=open&per_page=1`);
      assert.deepEqual(
        open.body.map((i: any) => i.ref),
        ['INC-2'],
      );
      assert.match(open.headers.get('link') ?? '', /rel="next"; results="true"/);
      assert.equal((await api.get(`${base}1/`)).body.ref, 'INC-1');
      assert.equal((await api.get(`${base}inc-1/`)).body.ref, 'INC-1');
    });

    test('status and severity changes are conditional and on the timeline; a lost race is 409', async () => {
      const { api, web, base } = await orgWithIssues();
      await api.post(base, { issues: [web.id] });
      clock.advance(MINUTE);
      const race = await Promise.all(
        ['investigating', 'mitigating'].map((status) =>
          api.put(`${base}INC-1/`, { status, expectedStatus: 'triage' }),
        ),
      );
      assert.deepEqual(race.map((r) => r.status).sort(), [200, 409]);
      const loser = race.find((r) => r.status === 409);
      assert.match(loser?.body.detail, /triage|someone else/);
      const winner = race.find((r) => r.status === 200)?.body;
      assert.equal(winner.milestones.acknowledged, new Date(T0 + MINUTE).toISOString());

      const stale = await api.put(`${base}INC-1/`, { severity: 'P1', expectedVersion: 1 });
      assert.equal(stale.status, 409);
      const raised = await api.put(`${base}INC-1/`, {
        severity: 'P1',
        rootCause: 'null cart',
        expectedVersion: winner.version,
      });
      assert.equal(raised.status, 200, JSON.stringify(raised.body));
      assert.equal(raised.body.severity, 'P1');
      assert.equal((await api.put(`${base}INC-1/`, { severity: 'SEV9' })).status, 400);
      const resolve = await api.put(`${base}INC-1/`, { status: 'resolved' });
      assert.equal(resolve.status, 400);
      assert.match(resolve.body.detail, /resolve/);
      assert.equal((await api.put(`${base}INC-1/`, { status: 'bogus' })).status, 400);
      assert.equal((await api.put(`${base}INC-1/`, { nope: 1 })).status, 400);

      const kinds = (await api.get(`${base}INC-1/timeline/`)).body.map((e: any) => `${e.kind}:${e.body}`);
      assert.ok(kinds.some((k: string) => /^status:Status triage → (investigating|mitigating)$/.test(k)));
      assert.ok(kinds.includes('severity:Severity P2 → P1'));
      assert.ok(kinds.includes('field:Root cause: null cart'));
      assert.equal(kinds.filter((k: string) => k.startsWith('status:')).length, 1);
    });

    test('roles: one holder each, members only; acknowledge once', async () => {
      const { s, api, base } = await orgWithIssues();
      await api.post(base, { title: 'Login down' });
      const ada = await memberWithToken(t, s.org, 'Ada');
      const adaApi = apiClient(
        t.url,
        await mintToken(t, { org: s.org, scopes: ['incident:write', 'org:read'], userId: ada.user.id }),
      );
      const me = await adaApi.put(`${base}INC-1/roles/commander/`, { user: 'me' });
      assert.equal(me.status, 200, JSON.stringify(me.body));
      assert.deepEqual(
        me.body.roles.map((r: any) => [r.role, r.name, r.user.email]),
        [['commander', 'Incident Commander', ada.user.email]],
      );
      const bob = await memberWithToken(t, s.org, 'Bob');
      const replaced = await api.put(`${base}INC-1/roles/commander/`, { user: bob.user.email });
      assert.equal(replaced.body.roles[0].user.name, 'Bob');
      assert.equal((await api.put(`${base}INC-1/roles/janitor/`, { user: 'me' })).status, 400);
      assert.equal(
        (await api.put(`${base}INC-1/roles/scribe/`, { user: 'stranger@example.com' })).status,
        400,
      );
      const cleared = await api.delete(`${base}INC-1/roles/commander/`);
      assert.deepEqual(cleared.body.roles, []);
      const ack = await adaApi.post(`${base}INC-1/acknowledge/`, {});
      assert.equal(ack.body.milestones.acknowledged, new Date(clock.now()).toISOString());
      clock.advance(MINUTE);
      const again = await adaApi.post(`${base}INC-1/acknowledge/`, {});
      assert.equal(again.body.milestones.acknowledged, ack.body.milestones.acknowledged);
      const roleEntries = (await api.get(`${base}INC-1/timeline/`)).body.filter(
        (e: any) => e.kind === 'role',
      );
      assert.deepEqual(
        roleEntries.map((e: any) => [e.body, e.actorName]),
        [
          ['Incident Commander: Ada', 'Ada'],
          ['Incident Commander: Bob', roleEntries[1].actorName],
          ['Incident Commander: unassigned', roleEntries[2].actorName],
        ],
      );
    });

    test('timeline: typed manual entries, audited edits, stars; deploys and new issues join by themselves', async () => {
      const { s, api, base, web } = await orgWithIssues();
      await api.post(base, { issues: [web.id] });
      const note = await api.post(`${base}INC-1/timeline/`, {
        kind: 'hypothesis',
        body: 'cart cache returns null',
      });
      assert.equal(note.status, 201);
      assert.equal((await api.post(`${base}INC-1/timeline/`, { kind: 'declared', body: 'x' })).status, 400);
      assert.equal((await api.post(`${base}INC-1/timeline/`, { body: '' })).status, 400);
      const edited = await api.put(`${base}INC-1/timeline/${note.body.id}/`, {
        body: 'cart cache returns null after deploy',
        starred: true,
      });
      assert.equal(edited.status, 200);
      assert.equal(edited.body.starred, true);
      assert.deepEqual(
        edited.body.edits.map((e: any) => e.previousBody),
        ['cart cache returns null'],
      );
      const declaredEntry = (await api.get(`${base}INC-1/timeline/`)).body[0];
      assert.equal(
        (await api.put(`${base}INC-1/timeline/${declaredEntry.id}/`, { body: 'rewrite history' })).status,
        400,
      );
      assert.equal(
        (await api.put(`${base}INC-1/timeline/${declaredEntry.id}/`, { starred: true })).body.starred,
        true,
      );

      // A deploy during the incident and an issue first seen in it appear on the next read.
      await api.post(`/api/0/organizations/${s.org}/releases/`, { version: 'web@2', projects: [s.project] });
      await api.post(`/api/0/organizations/${s.org}/releases/web@2/deploys/`, {
        environment: 'production',
        dateFinished: new Date(T0 - 2 * MINUTE).toISOString(),
      });
      await sendEvent(t, s, { message: 'Cart total is NaN', timestamp: (T0 - MINUTE) / 1000 });
      const timeline = (await api.get(`${base}INC-1/timeline/`)).body;
      const auto = timeline.filter((e: any) => e.kind === 'deploy' || e.kind === 'related_issue');
      assert.deepEqual(
        auto.map((e: any) => e.body),
        [
          'Deploy of web@2 to production finished',
          `New issue ${s.project.toUpperCase()}-2 first seen: Cart total is NaN`,
        ],
      );
      assert.equal((await api.get(`${base}INC-1/timeline/`)).body.length, timeline.length);
      const other = await t.setup();
      const stranger = apiClient(t.url, other.token);
      assert.equal((await stranger.get(`${base}INC-1/timeline/${note.body.id}/`)).status, 404);
    });

    test('a note is back-dated within the incident or the day before its declaration, never to 1970 (API and CLI)', async () => {
      clock.set(T0);
      const { s, api, web, base } = await orgWithIssues();
      const declared = await api.post(base, { issues: [web.id] });
      assert.equal(declared.status, 201, JSON.stringify(declared.body));
      assert.equal(declared.body.milestones.firstEvent, new Date(T0 - 5 * MINUTE).toISOString());
      const timeline = `${base}${declared.body.ref}/timeline/`;
      const note = (occurredAt: string | number) =>
        api.post(timeline, { body: 'pool exhausted', occurredAt });
      const DAY = 24 * 60 * MINUTE;
      for (const occurredAt of ['1970-01-01T00:00:00Z', 0, '2019-06-01T12:00:00Z', T0 - DAY - 1000]) {
        const refused = await note(occurredAt);
        assert.equal(refused.status, 400, `${occurredAt}: ${JSON.stringify(refused.body)}`);
        assert.equal(
          refused.body.detail,
          "invalid occurredAt: it is before 2026-11-21T09:00:00.000Z; a note may be dated back to the incident's first event or 24 hours before its declaration, whichever is earlier",
        );
      }
      const future = await note(T0 + 2 * MINUTE);
      assert.equal(future.status, 400);
      assert.match(future.body.detail, /occurredAt: it is in the future/);
      for (const occurredAt of [T0 - DAY, T0 - 5 * MINUTE, T0 + 30_000]) {
        const kept = await note(occurredAt);
        assert.equal(kept.status, 201, `${occurredAt}: ${JSON.stringify(kept.body)}`);
        assert.equal(kept.body.occurredAt, new Date(occurredAt).toISOString());
      }
      // A first event known from long before the declaration reaches further back than the day.
      const old = await api.post(base, { issues: [web.id], firstEventAt: T0 - 3 * DAY });
      const oldTimeline = `${base}${old.body.ref}/timeline/`;
      const backDated = await api.post(oldTimeline, { body: 'first report', occurredAt: T0 - 3 * DAY });
      assert.equal(backDated.status, 201, JSON.stringify(backDated.body));
      assert.equal((await api.post(oldTimeline, { body: 'x', occurredAt: T0 - 3 * DAY - 1000 })).status, 400);

      const env = { FIREBREAK_URL: t.url, FIREBREAK_ORG: s.org, FIREBREAK_TOKEN: s.token };
      const cli = await run(
        process.execPath,
        [
          'bin/firebreak.js',
          'incident',
          'note',
          declared.body.ref,
          'pool',
          'exhausted',
          '--at',
          '1970-01-01T00:00:00Z',
        ],
        { env },
      );
      assert.equal(cli.code, 2, cli.stderr);
      assert.match(
        cli.stderr,
        /^firebreak: invalid occurredAt: it is before 2026-11-21T09:00:00.000Z; a note may be dated back to the incident's first event or 24 hours before its declaration/m,
      );
      const entries = (await api.get(timeline)).body.filter((e: any) => e.kind === 'note');
      assert.deepEqual(
        entries.map((e: any) => e.occurredAt),
        [T0 - DAY, T0 - 5 * MINUTE, T0 + 30_000].map((ms) => new Date(ms).toISOString()),
      );
    });

    test('scopes and isolation: read vs write, another organisation sees nothing', async () => {
      const { s, api, base } = await orgWithIssues();
      await api.post(base, { title: 'Search slow' });
      const reader = apiClient(t.url, await mintToken(t, { org: s.org, scopes: ['incident:read'] }));
      assert.equal((await reader.get(`${base}INC-1/`)).status, 200);
      assert.equal((await reader.put(`${base}INC-1/`, { title: 'x' })).status, 403);
      assert.equal((await reader.post(base, { title: 'x' })).status, 403);
      assert.equal((await reader.post(`${base}INC-1/timeline/`, { body: 'x' })).status, 403);
      const noScope = apiClient(t.url, await mintToken(t, { org: s.org, scopes: ['event:read'] }));
      assert.equal((await noScope.get(base)).status, 403);
      const other = await t.setup();
      const outsider = apiClient(t.url, other.token);
      assert.equal((await outsider.get(`${base}INC-1/`)).status, 404);
      assert.equal((await outsider.get(`/api/0/organizations/${other.org}/incidents/INC-1/`)).status, 404);
      assert.equal(
        (await outsider.post(`/api/0/organizations/${other.org}/incidents/`, { issues: ['1'] })).status,
        400,
      );
      assert.equal((await api.get(`${base}INC-99/`)).status, 404);
      assert.equal((await api.get(`${base}nonsense/`)).status, 404);
      assert.equal((await api.post(base, {})).status, 400);
      assert.equal((await api.post(base, { title: 'x', ticketUrl: 'not a url' })).status, 400);
      // A date JavaScript can hold but whose response deadline it cannot: refused, not stored
      // (it made every incident list of the organisation answer 500).
      for (const detectedAt of ['+275760-09-13T00:00:00Z', 8.64e15, '1900-01-01T00:00:00Z']) {
        const refused = await api.post(base, { title: 'Far future', detectedAt });
        assert.equal(refused.status, 400, JSON.stringify(refused.body));
        assert.match(refused.body.detail, /between 1970-01-01T00:00:00Z and 9999-12-31T23:59:59Z|RFC 3339/);
        assert.equal((await api.put(`${base}INC-1/`, { detectedAt })).status, 400);
      }
      // Dates Date.parse reads loosely ("12" is 2001-12-01, 02-30 rolls over to March), and
      // moments that have not happened yet (time to detect would be negative).
      for (const detectedAt of [
        '12',
        '2026-02-30T10:00:00Z',
        '9999-12-31T23:59:59Z',
        Date.now() + 3_600_000,
      ]) {
        const refused = await api.post(base, { title: 'Odd date', detectedAt });
        assert.equal(refused.status, 400, `${detectedAt}: ${JSON.stringify(refused.body)}`);
        assert.match(refused.body.detail, /an RFC 3339 date|in the future/);
        assert.equal((await api.put(`${base}INC-1/`, { detectedAt })).status, 400);
      }
      const note = await api.post(`${base}INC-1/timeline/`, {
        kind: 'note',
        body: 'From the future',
        occurredAt: new Date(Date.now() + 3_600_000).toISOString(),
      });
      assert.equal(note.status, 400);
      assert.match(note.body.detail, /occurredAt: it is in the future/);
      const zoned = await api.post(base, { title: 'Zoned', detectedAt: '2026-01-05T10:00:00+01:00' });
      assert.equal(zoned.status, 201, JSON.stringify(zoned.body));
      assert.equal(zoned.body.milestones.detected, '2026-01-05T09:00:00.000Z');
      assert.equal((await api.get(base)).status, 200);
      // Milestones keep their order: first event, detection, declaration.
      const backwards = await api.post(base, {
        title: 'Order',
        firstEventAt: '2026-01-05T10:00:00Z',
        detectedAt: '2026-01-05T09:00:00Z',
      });
      assert.equal(backwards.status, 400);
      assert.match(
        backwards.body.detail,
        /invalid firstEventAt: the first event .* would come after detection/,
      );
      const ordered = (
        await api.post(base, {
          title: 'Order',
          firstEventAt: '2026-01-05T08:00:00Z',
          detectedAt: '2026-01-05T09:00:00Z',
        })
      ).body;
      clock.advance(10 * MINUTE);
      const afterDeclared = await api.put(`${base}${ordered.ref}/`, {
        detectedAt: new Date(Date.parse(ordered.milestones.declared) + 5 * MINUTE).toISOString(),
      });
      assert.equal(afterDeclared.status, 400);
      assert.match(afterDeclared.body.detail, /invalid detectedAt: .* is after the declaration/);
      const beforeFirst = await api.put(`${base}${ordered.ref}/`, { detectedAt: '2026-01-05T07:00:00Z' });
      assert.equal(beforeFirst.status, 400);
      assert.match(beforeFirst.body.detail, /set both/);
      const both = await api.put(`${base}${ordered.ref}/`, {
        firstEventAt: '2026-01-05T06:00:00Z',
        detectedAt: '2026-01-05T07:00:00Z',
      });
      assert.equal(both.status, 200, JSON.stringify(both.body));
    });

    test('settings: P0–P3 by configuration, custom roles; overdue status updates are flagged', async () => {
      const { s, api, base } = await orgWithIssues();
      const settingsPath = `/api/0/organizations/${s.org}/incident-settings/`;
      assert.equal((await api.get(settingsPath)).body.scheme, 'P1-P4');
      const changed = await api.put(settingsPath, {
        scheme: 'P0-P3',
        roles: [
          { key: 'commander', name: 'IC' },
          { key: 'comms_lead', name: 'Comms' },
        ],
      });
      assert.equal(changed.status, 200, JSON.stringify(changed.body));
      assert.deepEqual(
        changed.body.severities.map((x: any) => x.name),
        ['P0', 'P1', 'P2', 'P3'],
      );
      assert.equal((await api.put(settingsPath, { scheme: 'P9' })).status, 400);
      assert.equal((await api.put(settingsPath, { defaultSeverity: 'P7' })).status, 400);
      const badTag = await api.put(settingsPath, { componentTag: 'bad tag!' });
      assert.equal(badTag.status, 400);
      assert.match(badTag.body.detail, /componentTag.*must be a tag key/);
      const p0 = (await api.post(base, { title: 'Everything down', severity: 'P0' })).body;
      assert.equal(p0.update.overdue, false);
      assert.equal((await api.put(`${base}INC-1/roles/scribe/`, { user: 'me' })).status, 400);
      clock.advance(16 * MINUTE);
      const later = (await api.get(`${base}INC-1/`)).body;
      assert.equal(later.update.overdue, true);
      assert.equal((await api.get(`${base}?status=open`)).body[0].update.overdue, true);
      clock.set(T0);
    });
  });
}
