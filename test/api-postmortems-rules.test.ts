import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { manualClock } from '../src/clock.ts';
import { apiClient, mintToken, sendEvent, startServerOn } from './helpers/issues.ts';
import type { TestServer } from './helpers/server.ts';

const T0 = Date.parse('2026-11-22T09:00:00Z');
const MINUTE = 60_000;
const HOSTILE = `<script>alert(1)</script> & 'q' ]]> \u0007`;

/**
 * A small XML well-formedness check: every tag closes in order, attributes are quoted, text and
 * attribute values hold no raw `<` and only the five predefined or numeric entities.
 */
function assertWellFormedXml(xml: string): void {
  const stack: string[] = [];
  const token = /<(\/?)([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+="[^"<]*")*)\s*(\/?)>|([^<]+)|(<)/g;
  let depthZeroSeen = false;
  for (const match of xml.trim().matchAll(token)) {
    const [, closing, name, attrs, selfClosing, text, stray] = match;
    assert.equal(
      stray,
      undefined,
      `stray "<" at ${match.index}: ${xml.slice(match.index, match.index + 40)}`,
    );
    const entities = (text ?? attrs ?? '').match(/&[^;\s]*;?/g) ?? [];
    for (const entity of entities)
      assert.match(entity, /^&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-f]+);$/i, entity);
    if (text !== undefined) {
      assert.ok(stack.length > 0 || text.trim() === '', `text outside the root: ${text.slice(0, 40)}`);
      assert.doesNotMatch(text, /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/, 'control characters');
      continue;
    }
    if (closing) assert.equal(stack.pop(), name, `</${name}> closes the wrong element`);
    else if (!selfClosing) {
      assert.ok(stack.length > 0 || !depthZeroSeen, 'a single root element');
      depthZeroSeen = true;
      stack.push(name);
    }
  }
  assert.deepEqual(stack, [], 'every element is closed');
}

for (const backend of ['sqlite', 'postgres'] as const) {
  describe(`post-mortem rules (${backend})`, () => {
    let t: TestServer;
    const clock = manualClock(T0);
    before(async () => {
      t = await startServerOn(backend, { clock });
    });
    after(() => t.close());

    async function orgWithIncident(message = 'Checkout failed', extra: Record<string, unknown> = {}) {
      clock.set(T0);
      const s = await t.setup();
      await sendEvent(t, s, { message, timestamp: (T0 - 5 * MINUTE) / 1000, user: { id: 'u1' }, ...extra });
      const api = apiClient(t.url, s.token);
      const [issue] = (await api.get(`/api/0/projects/${s.org}/${s.project}/issues/`)).body;
      const base = `/api/0/organizations/${s.org}/incidents/`;
      const declared = await api.post(base, { issues: [issue.id], severity: 'P2' });
      assert.equal(declared.status, 201, JSON.stringify(declared.body));
      return { s, api, base, inc: `${base}INC-1`, issue };
    }

    test('event text is escaped in the SVG chart and the Markdown', async () => {
      // Environments come from events (anyone with the public DSN) and reach the generated summary.
      const { s, api, inc } = await orgWithIncident(HOSTILE, { environment: '<img src=x onerror=alert(1)>' });
      const mitigated = await api.post(`${inc}/mitigations/`, {
        type: 'rollback',
        release: '<img src=x onerror=alert(2)>',
        runHooks: false,
      });
      assert.equal(mitigated.status, 201, JSON.stringify(mitigated.body));
      clock.advance(MINUTE);
      assert.equal((await api.post(`${inc}/postmortem/`, {})).status, 201);
      const get = (path: string) =>
        fetch(`${t.url}${path}`, { headers: { Authorization: `Bearer ${s.token}` } });
      const svg = await (await get(`${inc}/postmortem/chart.svg`)).text();
      assertWellFormedXml(svg);
      assert.doesNotMatch(svg, /<script/i);
      assert.ok(svg.includes(': &lt;script&gt;alert(1)&lt;/script&gt; &amp; &#39;q&#39; ]]&gt;</text>'), svg);
      const markdown = await (await get(`${inc}/postmortem/?format=markdown&chart=none`)).text();
      assert.doesNotMatch(markdown, /\u0007/);
      // The reconciliation block is a code block (rendered as text) and stays byte-exact; every
      // other place escapes the title.
      const [before, fence, afterFence] = markdown.split(/^```.*$/m);
      assert.match(fence, /^PRODUCTION INCIDENT — \S+: <script>alert\(1\)<\/script> & 'q' \]\]>$/m);
      assert.doesNotMatch(before + afterFence, /<script|<img/i);
      const summary = afterFence.split('## Summary')[1].split('##')[0];
      assert.match(summary, / in &lt;img src=x onerror=alert\(1\)&gt; over /);
      assert.match(summary, /Mitigated by rollback \(&lt;img src=x onerror=alert\(2\)&gt;\)/);
      assert.ok(
        afterFence.includes(": &lt;script&gt;alert(1)&lt;/script&gt; &amp; 'q' \\]\\]&gt; — 1 event"),
      );
      const linked = await (await get(`${inc}/postmortem.md?chart=link`)).text();
      assert.ok(linked.includes(`](${t.url}${inc}/postmortem/chart.svg)`));
      assertWellFormedXml(
        Buffer.from(
          /base64,([^)]+)\)/.exec(await (await get(`${inc}/postmortem.md`)).text())![1],
          'base64',
        ).toString(),
      );
    });

    test('narrative: needs a generated post-mortem, validated, conditional, cleared back to its default', async () => {
      const { api, inc } = await orgWithIncident();
      const early = await api.put(`${inc}/postmortem/`, { summary: 'x' });
      assert.equal(early.status, 404);
      assert.match(early.body.detail, /has no post-mortem yet/);
      const pm = (await api.post(`${inc}/postmortem/`, {})).body;
      const generatedSummary = pm.effective.summary;
      assert.equal(generatedSummary, 'INC-1 (P2): 1 event from 1 user in production over 5 min so far.');
      assert.equal(pm.effective.rootCause, null);
      assert.equal((await api.put(`${inc}/postmortem/`, { nope: 'x' })).status, 400);
      assert.equal((await api.put(`${inc}/postmortem/`, { summary: 12 })).status, 400);
      const both = await api.put(`${inc}/postmortem/`, { detectionGaps: 'a', whyNotCaughtEarlier: 'b' });
      assert.equal(both.status, 400);
      const edited = await api.put(`${inc}/postmortem/`, {
        summary: 'Written by hand',
        rootCause: 'A null cart',
        expectedVersion: pm.version,
      });
      assert.equal(edited.status, 200, JSON.stringify(edited.body));
      assert.equal(edited.body.effective.rootCause, 'A null cart');
      assert.match(edited.body.reconciliation, /^Root cause: {2}A null cart$/m);
      const stale = await api.put(`${inc}/postmortem/`, { summary: 'lost', expectedVersion: pm.version });
      assert.equal(stale.status, 409);
      const cleared = await api.put(`${inc}/postmortem/`, { summary: '', wentBadly: null });
      assert.equal(cleared.body.narrative.summary, null);
      assert.equal(cleared.body.effective.summary, generatedSummary);
      // The incident changed after generation: the post-mortem says so until it is regenerated.
      assert.equal((await api.put(`${inc}/`, { rootCause: 'cart was null' })).status, 200);
      assert.equal((await api.get(`${inc}/postmortem/`)).body.stale, true);
      const fresh = (await api.post(`${inc}/postmortem/`, {})).body;
      assert.equal(fresh.stale, false);
      assert.equal(fresh.effective.rootCause, 'A null cart');
      assert.equal(fresh.rootCause, 'cart was null');
    });

    test('closing: resolved and a post-mortem generated since; a closed incident reopens like a resolved one', async () => {
      const { api, base, inc } = await orgWithIncident();
      assert.equal((await api.post(`${inc}/postmortem/`, {})).status, 201);
      clock.advance(5 * MINUTE);
      const resolved = await api.post(`${inc}/resolve/`, {
        rootCause: 'null cart',
        override: 'customer confirmed',
      });
      assert.equal(resolved.status, 200, JSON.stringify(resolved.body));
      const refused = await api.post(`${inc}/close/`, {});
      assert.equal(refused.status, 400);
      assert.match(refused.body.detail, /a post-mortem generated since it was resolved \(ADR-0001 predates/);
      clock.advance(MINUTE);
      assert.equal((await api.post(`${inc}/postmortem/`, {})).status, 200);
      const closed = await api.post(`${inc}/close/`, {});
      assert.equal(closed.status, 200, JSON.stringify(closed.body));
      assert.equal(closed.body.status, 'closed');
      assert.equal(closed.body.milestones.resolved, resolved.body.milestones.resolved);
      assert.deepEqual(
        (await api.get(`${base}?status=closed`)).body.map((i: any) => i.ref),
        ['INC-1'],
      );
      assert.equal(
        (await t.server.ctx.store.incidents.listUnresolved()).some((i) => i.id === Number(closed.body.id)),
        false,
      );

      // Closed, the post-mortem is final: regenerating it is refused until the incident reopens.
      const regenerate = await api.post(`${inc}/postmortem/`, {});
      assert.equal(regenerate.status, 409);
      assert.match(regenerate.body.detail, /is closed and its post-mortem is final; reopen the incident/);
      const reopened = await api.put(`${inc}/`, { status: 'investigating', expectedStatus: 'closed' });
      assert.equal(reopened.status, 200, JSON.stringify(reopened.body));
      assert.equal(reopened.body.milestones.resolved, null);
      assert.equal(reopened.body.resolutionOverride, null);
      const last = (await api.get(`${inc}/timeline/`)).body.at(-1);
      assert.deepEqual([last.kind, last.body], ['reopened', 'Status closed → investigating']);
      assert.equal((await api.post(`${inc}/postmortem/`, {})).status, 200, 'open again: regenerated');
      assert.deepEqual(
        (await api.get(`${base}?status=open`)).body.map((i: any) => i.ref),
        ['INC-1'],
      );
      assert.match((await api.post(`${inc}/close/`, {})).body.detail, /resolved first \(it is investigating/);
    });

    /**
     * Production's first error 90 s before T0 (three from one customer), staging's testers hitting the
     * same issue meanwhile (five users); rolled back in production and resolved at T0.
     */
    async function rolledBackAfter90Seconds(options: { restartFirst?: boolean } = {}) {
      clock.set(T0);
      const s = await t.setup();
      const send = (environment: string, secondsAgo: number, user: string) =>
        sendEvent(t, s, {
          message: 'Cart lost',
          environment,
          release: environment === 'production' ? 'web@2' : 'web@3-rc',
          timestamp: (T0 - secondsAgo * 1000) / 1000,
          user: { id: user },
        });
      for (const ago of [90, 70, 50]) await send('production', ago, 'p1');
      for (const [i, ago] of [85, 75, 65, 55, 45].entries()) await send('staging', ago, `s${i}`);
      const api = apiClient(t.url, s.token);
      const [issue] = (await api.get(`/api/0/projects/${s.org}/${s.project}/issues/`)).body;
      const base = `/api/0/organizations/${s.org}/incidents/`;
      const declared = await api.post(base, {
        issues: [issue.id],
        severity: 'P2',
        firstEventAt: T0 - 90_000,
      });
      assert.equal(declared.status, 201, JSON.stringify(declared.body));
      const inc = `${base}${declared.body.ref}`;
      if (options.restartFirst) {
        const restart = await api.post(`${inc}/mitigations/`, {
          type: 'other',
          description: 'restart',
          runHooks: false,
        });
        assert.equal(restart.status, 201, JSON.stringify(restart.body));
      }
      const rollback = await api.post(`${inc}/mitigations/`, {
        type: 'rollback',
        release: 'web@1',
        environment: 'production',
        runHooks: false,
      });
      assert.equal(rollback.status, 201, JSON.stringify(rollback.body));
      const resolved = await api.post(`${inc}/resolve/`, {
        rootCause: 'web@2',
        override: 'verified by hand',
      });
      assert.equal(resolved.status, 200, JSON.stringify(resolved.body));
      const pm = (await api.post(`${inc}/postmortem/`, {})).body;
      return { s, api, inc, pm };
    }

    test("impact: a production incident counts production's events, not staging's", async () => {
      const { pm } = await rolledBackAfter90Seconds();
      // Staging's five testers are not the incident's impact: one production customer, three events.
      assert.equal(pm.impact.environment, 'production');
      assert.deepEqual([pm.impact.events, pm.impact.users], [3, 1]);
      assert.deepEqual(
        pm.impact.perIssue.map((i: any) => i.events),
        [3],
      );
      assert.deepEqual(pm.impact.releases, [{ value: 'web@2', count: 3 }]);
      assert.deepEqual(pm.impact.environments, [{ value: 'production', count: 3 }]);
      assert.deepEqual([pm.blast.users, pm.blast.events], [1, 3]);
    });

    test('the blast radius counts the impact’s environment when an earlier mitigation named none', async () => {
      const { pm } = await rolledBackAfter90Seconds({ restartFirst: true });
      assert.equal(pm.impact.environment, 'production');
      assert.deepEqual([pm.blast.users, pm.blast.events], [1, 3]);
    });

    test('durations: to the second, shown as minutes and seconds', async () => {
      const { s, inc, pm } = await rolledBackAfter90Seconds();
      // 90 seconds is 1 min 30 s everywhere people read it, and 90 where programs do.
      assert.equal(pm.impact.durationSeconds, 90);
      assert.equal(pm.durations.timeToResolve, 90);
      assert.equal(pm.durations.timeToMitigate, 90);
      assert.match(pm.reconciliation, /^Resolution: {2}\S+, took 1\.5 min$/m);
      assert.equal(
        pm.effective.summary,
        'INC-1 (P2): 3 events from 1 user in production over 1 min 30 s. Mitigated by rollback (web@1) after 1 min 30 s. Resolved at 2026-11-22T09:00:00Z; error rate 0.00/min before, — after.',
      );
      const md = await (
        await fetch(`${t.url}${inc}/postmortem.md?chart=none`, {
          headers: { Authorization: `Bearer ${s.token}` },
        })
      ).text();
      assert.ok(md.includes('| Duration | 1 min 30 s (2026-11-22T08:58:30Z → 2026-11-22T09:00:00Z) |'), md);
      assert.ok(md.includes('time to detect: 1 min 30 s'), md);
    });

    test('ADR numbers per organisation; scopes; another organisation sees nothing', async () => {
      const { s, api, base, inc, issue } = await orgWithIncident();
      assert.equal((await api.post(`${inc}/postmortem/`, {})).body.adr, 'ADR-0001');
      await api.post(base, { issues: [issue.id], title: 'Again' });
      assert.equal((await api.post(`${base}INC-2/postmortem/`, {})).body.adr, 'ADR-0002');
      // An incident declared by hand, with no issue: the post-mortem still stands, with no data.
      await api.post(base, { title: 'Login slow', detectionSource: 'customer report' });
      const bare = await api.post(`${base}INC-3/postmortem/`, {});
      assert.equal(bare.status, 201, JSON.stringify(bare.body));
      assert.deepEqual(
        [bare.body.adr, bare.body.impact.events, bare.body.blast.class],
        ['ADR-0003', 0, 'none'],
      );
      assert.match(
        bare.body.reconciliation,
        /^Detected: {4}\S+ via customer report\nBlast: {7}no events in the 75 min before /m,
      );
      assert.match(
        bare.body.reconciliation,
        /^Action: {6}none recorded\nResolution: {2}not resolved yet \(0 min so far\)$/m,
      );
      // "alert" says how it was detected, not who declared it: here a person did.
      await api.post(base, { issues: [issue.id], title: 'Paged by an alert', detectionSource: 'alert' });
      const alerted = await api.post(`${base}INC-4/postmortem/`, {});
      assert.deepEqual(alerted.body.fromTheData.detection, [
        'It was detected by an alert, 5 min after the first event.',
      ]);

      const reader = apiClient(t.url, await mintToken(t, { org: s.org, scopes: ['incident:read'] }));
      assert.equal((await reader.get(`${inc}/postmortem/`)).status, 200);
      assert.equal((await reader.post(`${inc}/postmortem/`, {})).status, 403);
      assert.equal((await reader.put(`${inc}/postmortem/`, { summary: 'x' })).status, 403);
      assert.equal((await reader.post(`${inc}/close/`, {})).status, 403);
      const noScope = apiClient(t.url, await mintToken(t, { org: s.org, scopes: ['event:read'] }));
      assert.equal((await noScope.get(`${inc}/postmortem/`)).status, 403);
      assert.equal((await noScope.get(`${inc}/postmortem/chart.svg`)).status, 403);

      const other = await orgWithIncident();
      const outsider = apiClient(t.url, other.s.token);
      for (const path of [`${inc}/postmortem/`, `${inc}/postmortem/chart.svg`, `${inc}/postmortem.md`]) {
        assert.equal((await outsider.get(path)).status, 404, path);
      }
      assert.equal((await outsider.post(`${inc}/postmortem/`, {})).status, 404);
      assert.equal((await outsider.post(`${inc}/close/`, {})).status, 404);
      assert.equal((await outsider.post(`${other.inc}/postmortem/`, {})).body.adr, 'ADR-0001');
      assert.equal((await api.get(`${inc}/postmortem/?format=pdf`)).status, 400);
    });
  });
}
