import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { incidentCommand } from '../src/cli/incident.ts';
import { manualClock } from '../src/clock.ts';
import type { SetupResult } from '../src/projects/setup-project.ts';
import { apiClient, mintToken, sendEvent, startServerOn } from './helpers/issues.ts';
import type { TestServer } from './helpers/server.ts';

const T0 = Date.parse('2026-11-22T09:00:00Z');
const MINUTE = 60_000;

/** An error raised in `frames`' last (innermost) frame, all in-app, with tags. */
function crash(clockNow: number, type: string, frames: [string, string][], tags: Record<string, string>) {
  return {
    timestamp: (clockNow - MINUTE) / 1000,
    platform: 'node',
    tags,
    exception: {
      values: [
        {
          type,
          value: `${type} in ${frames.at(-1)?.[1]}`,
          stacktrace: {
            frames: frames.map(([filename, fn], i) => ({
              filename,
              function: fn,
              lineno: 10 + i,
              in_app: true,
            })),
          },
        },
      ],
    },
  };
}

const CART: [string, string][] = [
  ['src/server.js', 'handle'],
  ['src/cart.js', 'checkout'],
];

for (const backend of ['sqlite', 'postgres'] as const) {
  describe(`incident memory: similar past incidents, recurrences (${backend})`, () => {
    let t: TestServer;
    const clock = manualClock(T0);
    before(async () => {
      t = await startServerOn(backend, { clock });
    });
    after(() => t.close());

    async function issueOf(s: SetupResult, event: Record<string, unknown>) {
      const api = apiClient(t.url, s.token);
      const eventId = await sendEvent(t, s, event);
      const found = await api.get(`/api/0/projects/${s.org}/${s.project}/events/${eventId}/`);
      assert.equal(found.status, 200, JSON.stringify(found.body));
      const issue = await api.get(`/api/0/organizations/${s.org}/issues/${found.body.groupID}/`);
      return issue.body.shortId as string;
    }

    test('ranked by shared issue, hash, top frame, component and project, each with its root cause and fix', async () => {
      const web = await t.setup();
      const apiProject = await t.setup(web.org, `api${web.projectId}`);
      const api = apiClient(t.url, web.token);
      const org = `/api/0/organizations/${web.org}`;
      assert.equal((await api.put(`${org}/incident-settings/`, { componentTag: 'service' })).status, 200);

      const now = () => clock.now();
      const a = await issueOf(web, crash(now(), 'TypeError', CART, { service: 'checkout' }));
      // The same crash in another project: another issue with the same grouping hash.
      const aElsewhere = await issueOf(apiProject, crash(now(), 'TypeError', CART, { service: 'checkout' }));
      const sameFrame = await issueOf(
        web,
        crash(
          now(),
          'RangeError',
          [
            ['src/jobs.js', 'retry'],
            ['src/cart.js', 'checkout'],
          ],
          { service: 'cart' },
        ),
      );
      const sameComponent = await issueOf(
        apiProject,
        crash(now(), 'Error', [['src/pay.js', 'charge']], { service: 'checkout' }),
      );
      const sameProject = await issueOf(
        web,
        crash(now(), 'Error', [['src/login.js', 'login']], { service: 'auth' }),
      );
      assert.notEqual(a, aElsewhere);

      const declare = async (body: Record<string, unknown>) => {
        clock.advance(10 * MINUTE);
        const answer = await api.post(`${org}/incidents/`, body);
        assert.equal(answer.status, 201, JSON.stringify(answer.body));
        return answer.body.ref as string;
      };
      const inc1 = await declare({ issues: [a] });
      clock.advance(MINUTE);
      const mitigated = await api.post(`${org}/incidents/${inc1}/mitigations/`, {
        type: 'rollback',
        release: 'web@1',
        environment: 'production',
      });
      assert.equal(mitigated.status, 201, JSON.stringify(mitigated.body));
      const resolved = await api.post(`${org}/incidents/${inc1}/resolve/`, {
        rootCause: 'web@2 dropped the cart on retries',
        override: 'verified by hand in the test',
      });
      assert.equal(resolved.status, 200, JSON.stringify(resolved.body));
      const inc2 = await declare({ issues: [sameFrame] });
      const inc3 = await declare({ issues: [sameComponent] });
      const inc4 = await declare({ issues: [sameProject] });
      const inc5 = await declare({ issues: [aElsewhere] });
      await declare({ title: 'Billing export late', services: ['billing'] });

      // A second incident on issue a: linked to the first, on both timelines.
      const inc7 = await declare({ issues: [a], severity: 'P1' });
      const first1 = (await api.get(`${org}/incidents/${inc1}/`)).body.milestones.firstEvent;
      assert.ok(first1, "the first incident has the issue's first event");
      assert.equal(
        (await api.get(`${org}/incidents/${inc7}/`)).body.milestones.firstEvent,
        null,
        "a recurrence does not take the first incident's first event as its own",
      );
      const timeline = (await api.get(`${org}/incidents/${inc7}/timeline/`)).body;
      const recurrence = timeline.find((e: any) => e.kind === 'recurrence');
      assert.ok(recurrence, JSON.stringify(timeline.map((e: any) => e.kind)));
      assert.equal(
        recurrence.body,
        `Recurrence of ${inc1} (same issue ${a}). Root cause then: web@2 dropped the cart on retries. ` +
          'Fixed then by: Rollback to web@1 in production.',
      );
      assert.equal(recurrence.data.ref, inc1);
      assert.equal(recurrence.actor, 'system');
      // INC-5 (the same crash in another project) is still open: related, not a recurrence.
      const related = timeline.find((e: any) => e.kind === 'related_incident');
      assert.equal(related.body, `Related to ${inc5}, still open (${a} groups like ${aElsewhere}).`);
      const firstTimeline = (await api.get(`${org}/incidents/${inc1}/timeline/`)).body;
      const recurred = firstTimeline
        .filter((e: any) => e.kind === 'related_incident')
        .map((e: any) => e.body);
      assert.deepEqual(recurred, [
        `Recurred as ${inc5} (${aElsewhere} groups like ${a}).`,
        `Recurred as ${inc7} (same issue ${a}).`,
      ]);

      const similar = await api.get(`${org}/incidents/${inc7}/similar/`);
      assert.equal(similar.status, 200, JSON.stringify(similar.body));
      assert.deepEqual(
        similar.body.similar.map((s: any) => [s.ref, s.score, s.reasons.map((r: any) => r.kind)]),
        [
          [inc1, 15, ['same_issue', 'same_frame', 'same_component', 'same_project']],
          [inc5, 14, ['same_issue', 'same_frame', 'same_component']],
          [inc2, 5, ['same_frame', 'same_project']],
          [inc3, 2, ['same_component']],
          [inc4, 1, ['same_project']],
        ],
      );
      const [first, viaHash, frame] = similar.body.similar;
      assert.equal(first.rootCause, 'web@2 dropped the cart on retries');
      assert.deepEqual(
        first.fix.mitigations.map((m: any) => [m.type, m.release, m.summary]),
        [['rollback', 'web@1', 'Rollback to web@1 in production']],
      );
      assert.equal(first.linked, true);
      assert.equal(first.relation, 'recurrence');
      assert.equal(first.reasons[0].via, 'issue');
      assert.equal(viaHash.reasons[0].via, 'hash');
      assert.deepEqual(viaHash.reasons[0].issues, [aElsewhere]);
      assert.equal(viaHash.relation, 'related');
      assert.deepEqual(frame.reasons[0].frames, ['src/cart.js in checkout']);
      assert.deepEqual(similar.body.signature.components, ['checkout']);
      assert.equal(similar.body.compared, 6);
      assert.equal((await api.get(`${org}/incidents/${inc7}/similar/?limit=2`)).body.similar.length, 2);
      assert.equal((await api.get(`${org}/incidents/${inc7}/similar/?limit=0`)).status, 400);

      // The CLI's view of the same answer (003's "similar past incidents").
      const out: string[] = [];
      const io = { out: (line: string) => out.push(line), err: (line: string) => out.push(line) };
      const env = { FIREBREAK_URL: t.url, FIREBREAK_ORG: web.org, FIREBREAK_TOKEN: web.token };
      assert.equal(await incidentCommand(['similar', inc7, '--limit', '2'], io, env), 0, out.join('\n'));
      assert.match(out[0], new RegExp(`^${inc1}  score 15  `));
      assert.ok(out.includes('    root cause: web@2 dropped the cart on retries'), out.join('\n'));
      assert.ok(out.includes('    fix: Rollback to web@1 in production'), out.join('\n'));
      assert.ok(out.some((line) => line.startsWith(`${inc5}  score 14  `)));
      assert.equal(await incidentCommand(['similar', inc7, '--limit', 'x'], io, env), 2);

      const later = (await api.get(`${org}/incidents/${inc1}/similar/`)).body;
      assert.deepEqual(
        later.laterRecurrences.map((r: any) => [r.ref, r.relation]),
        [
          [inc5, 'recurrence'],
          [inc7, 'recurrence'],
        ],
      );

      // Memory outlives retention: with every event and tag value pruned, frames and components
      // come from the stored signatures and the ranking is the same.
      const pruned = await t.server.ctx.store.retention.prune({
        now: clock.now() + 400 * 24 * 60 * MINUTE,
        minuteBucketsBefore: clock.now() + MINUTE,
        batchSize: 1000,
      });
      assert.ok(pruned.eventsDeleted >= 5);
      const again = (await api.get(`${org}/incidents/${inc7}/similar/`)).body;
      assert.deepEqual(
        again.similar.map((s: any) => [s.ref, s.score]),
        similar.body.similar.map((s: any) => [s.ref, s.score]),
      );
      // Reading again changes nothing, so nothing is written (an open incident's signature is
      // recomputed, compared, and only stored when it differs).
      const memory = t.server.ctx.store.incidentMemory;
      const stored = async () => [...(await memory.signatures([Number(again.incident.id)])).values()][0];
      const before = await stored();
      clock.advance(MINUTE);
      await api.get(`${org}/incidents/${inc7}/similar/`);
      assert.equal((await stored()).computedAt, before.computedAt);
    });

    test('scopes, other organisations and unknown incidents', async () => {
      const s = await t.setup();
      const other = await t.setup();
      const api = apiClient(t.url, s.token);
      clock.advance(MINUTE);
      const ref = (await api.post(`/api/0/organizations/${s.org}/incidents/`, { title: 'Queue stuck' })).body
        .ref;
      const path = `/api/0/organizations/${s.org}/incidents/${ref}/similar/`;
      const reader = apiClient(t.url, await mintToken(t, { org: s.org, scopes: ['incident:read'] }));
      assert.equal((await reader.get(path)).status, 200);
      const events = apiClient(t.url, await mintToken(t, { org: s.org, scopes: ['event:read', 'org:read'] }));
      const denied = await events.get(path);
      assert.equal(denied.status, 403);
      assert.match(denied.body.detail, /incident:read/);
      const stranger = apiClient(t.url, other.token);
      assert.equal((await stranger.get(path)).status, 404);
      assert.equal((await api.get(`/api/0/organizations/${s.org}/incidents/INC-99/similar/`)).status, 404);
    });
  });
}
