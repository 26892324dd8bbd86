import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { manualClock } from '../src/clock.ts';
import { declareScriptedIncident, rollBackAndResolve, startOn } from './helpers/scripted-incident.ts';
import type { TestServer } from './helpers/server.ts';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const sec = (iso: string) => iso.replace(/\.\d{3}Z$/, 'Z');
const floorMinute = (ms: number) => ms - (ms % MINUTE);

/**
 * The scripted incident of issue #4 (test/incident-e2e.test.ts) carried on to issue #5: after the
 * bad deploy, the real @sentry/node errors, the CLI declaration, the rollback and the verified
 * resolution, the post-mortem holds the numbers that were sent and the playbook's reconciliation
 * block; action items go overdue on the injected clock; closing needs the post-mortem.
 */
for (const backend of ['sqlite', 'postgres'] as const) {
  describe(`the scripted incident's post-mortem (${backend})`, () => {
    let t: TestServer;
    let dir: string;
    const clock = manualClock(Date.now());
    before(async () => {
      t = await startOn(backend, clock);
      dir = mkdtempSync(join(tmpdir(), 'firebreak-pm-'));
    });
    after(async () => {
      await t.close();
      rmSync(dir, { recursive: true, force: true });
    });

    test('post-mortem numbers, reconciliation block, narrative kept, action items overdue, closed', async () => {
      const ticket = 'https://linear.app/acme/issue/OPS-88';
      const { s, api, org, inc, issue, ic, firebreak } = await declareScriptedIncident(t, clock, ticket);

      // Closing needs a resolved incident and its post-mortem; there is none to read yet.
      const early = await api.post(`${inc}/close/`, {});
      assert.equal(early.status, 400);
      assert.match(early.body.detail, /resolved first \(it is triage.*and a post-mortem/);
      const none = await api.get(`${inc}/postmortem/`);
      assert.equal(none.status, 404);
      assert.match(none.body.detail, /no post-mortem yet: generate it/);
      assert.equal((await api.put(`${inc}/`, { status: 'closed' })).status, 400);

      // The response, as in the scripted incident: the rollback, then the verified resolution.
      const incident = await rollBackAndResolve(clock, firebreak, 'web@2 sent empty carts to checkout');
      assert.match(
        (await api.post(`${inc}/close/`, {})).body.detail,
        /^INC-1 cannot be closed yet: it needs a post-mortem \(generate/,
      );

      // Generated with the CLI: the Markdown ADR, numbered per organisation.
      const generated = await firebreak(['postmortem', 'INC-1', '--generate', '--chart', 'none']);
      assert.equal(generated.code, 0, generated.stderr);
      assert.match(generated.stdout, /^# ADR-0001: Post-mortem — INC-1: /);

      // The numbers are what was sent.
      const pm = (await api.get(`${inc}/postmortem/`)).body;
      const m = incident.milestones;
      const firstEvent = Date.parse(m.firstEvent);
      const resolvedAt = Date.parse(m.resolved);
      assert.equal(pm.adr, 'ADR-0001');
      assert.equal(pm.status, 'draft');
      assert.equal(pm.stale, false);
      assert.equal(pm.impact.events, 12);
      assert.equal(pm.impact.users, 4);
      assert.deepEqual(pm.impact.releases, [{ value: 'web@2', count: 12 }]);
      assert.deepEqual(pm.impact.environments, [{ value: 'production', count: 12 }]);
      assert.equal(pm.impact.durationSeconds, Math.round((resolvedAt - firstEvent) / 1000));
      assert.equal(pm.impact.start, m.firstEvent);
      assert.equal(pm.durations.timeToResolve, incident.durations.timeToResolve);
      assert.equal(pm.blast.class, 'many_users_one_feature');
      assert.equal(pm.blast.at, m.mitigated);
      assert.equal(pm.rates.baselinePerMinute, 0);
      assert.equal(pm.rates.afterPerMinute, 0);
      assert.equal(pm.rates.verdict, 'resolved');
      const duringMinutes = (floorMinute(Date.parse(m.mitigated)) - floorMinute(firstEvent)) / MINUTE;
      assert.equal(pm.rates.duringPerMinute, 12 / duringMinutes);
      assert.equal(pm.suspects.deploy.version, 'web@2');
      assert.equal(pm.effective.rootCause, 'web@2 sent empty carts to checkout');
      assert.deepEqual(
        pm.chart.markers.map((k: any) => `${k.kind}:${k.label}`),
        ['deploy:deploy web@2', 'mitigation:rollback web@1', 'detected:detected', 'resolved:resolved'],
      );
      assert.equal(
        pm.chart.series[0].counts.reduce((a: number, b: number) => a + b, 0),
        12,
      );
      assert.ok(
        pm.timeline.some((r: any) => r.kind === 'mitigation' && r.text.startsWith('Rollback to web@1')),
      );

      // Action items from the post-mortem, and one on its own naming the incident (with the CLI).
      const item = (body: Record<string, unknown>) => api.post(`${inc}/action-items/`, body);
      const testItem = await item({
        title: 'Test checkout with an empty cart',
        kind: 'test',
        owner: ic.user.email,
        dueAt: new Date(clock.now() + 7 * DAY).toISOString(),
      });
      assert.equal(testItem.status, 201, JSON.stringify(testItem.body));
      assert.equal(testItem.body.owner.name, 'Ivy');
      const monitor = (
        await item({
          title: 'Alert on checkout errors',
          kind: 'monitor',
          owner: 'SRE team',
          dueAt: new Date(clock.now() + 3 * DAY).toISOString().slice(0, 10),
        })
      ).body;
      assert.equal(monitor.owner.id, null);
      const gate = await item({
        title: 'Release gate: no new issues after deploy',
        kind: 'gate',
        dueAt: clock.now() + 14 * DAY,
      });
      assert.equal(gate.body.dueAt, new Date(clock.now() + 14 * DAY).toISOString());
      const added = await firebreak([
        'action',
        'add',
        'Write',
        'the',
        'rollback',
        'runbook',
        '--incident',
        'INC-1',
        '--kind',
        'process',
        '--owner',
        'me',
        '--json',
      ]);
      assert.equal(added.code, 0, added.stderr);
      const runbook = JSON.parse(added.stdout);
      assert.equal(runbook.incident.ref, 'INC-1');
      assert.equal(runbook.owner.name, 'Ivy');

      // In minutes to a tenth: the first event came from the SDK, not on a whole minute.
      const tenths = Math.round((resolvedAt - firstEvent) / 6000);
      const tookText = `${tenths % 10 === 0 ? tenths / 10 : (tenths / 10).toFixed(1)} min`;
      const resolution = `${sec(m.resolved)}, took ${tookText}`;
      const block = (items: string) =>
        [
          `PRODUCTION INCIDENT — ${issue.shortId}: ${issue.title}`,
          '',
          `Detected:    ${sec(m.detected)} via manual`,
          'Blast:       4 users, 1 feature (POST /checkout) — many users, one feature',
          'Root cause:  web@2 sent empty carts to checkout',
          'Action:      rollback to web@1',
          `Resolution:  ${resolution}`,
          `Sentry:      0.00/min before / 0.00/min after (${(12 / duringMinutes).toFixed(2)}/min during)`,
          '',
          `Linear:      ${ticket}`,
          'Post-mortem: ADR-0001',
          '',
          `Action items: ${items}`,
        ].join('\n');
      assert.equal(
        (await api.get(`${inc}/postmortem/`)).body.reconciliation,
        block('4 (tests:1, monitors:1, gates:1, process:1)'),
      );
      const wontDo = await firebreak(['action', 'done', runbook.id, '--wont-do']);
      assert.equal(wontDo.code, 0, wontDo.stderr);
      assert.equal(
        (await api.get(`${inc}/postmortem/`)).body.reconciliation,
        block('3 (tests:1, monitors:1, gates:1)'),
      );

      // Narrative edits (CLI --set, --edit --from-file) survive regeneration; data parts refresh.
      const file = join(dir, 'tests.md');
      writeFileSync(file, 'The checkout tests never sent an **empty** cart.\n');
      const edited = await firebreak([
        'postmortem',
        'INC-1',
        '--set',
        'summary=Checkout failed for 4 customers after web@2.',
        '--set',
        'why-not-caught-earlier=No alert on new errors after a deploy.',
        '--edit',
        'whySlippedThroughTests',
        '--from-file',
        file,
        '--json',
      ]);
      assert.equal(edited.code, 0, edited.stderr);
      assert.equal(
        JSON.parse(edited.stdout).narrative.detectionGaps,
        'No alert on new errors after a deploy.',
      );
      clock.advance(MINUTE);
      const again = await api.post(`${inc}/postmortem/`, {});
      assert.equal(again.status, 200);
      assert.equal(again.body.adr, 'ADR-0001');
      assert.equal(again.body.generatedAt, new Date(clock.now()).toISOString());
      assert.deepEqual(
        [
          again.body.effective.summary,
          again.body.narrative.whySlippedThroughTests,
          again.body.effective.rootCause,
        ],
        [
          'Checkout failed for 4 customers after web@2.',
          'The checkout tests never sent an **empty** cart.',
          'web@2 sent empty carts to checkout',
        ],
      );

      // The Markdown export: the block in a fence, the chart embedded as a data: URI.
      const md = await fetch(`${t.url}${inc}/postmortem/?format=markdown`, {
        headers: { Authorization: `Bearer ${s.token}` },
      });
      assert.match(md.headers.get('content-type') ?? '', /^text\/markdown/);
      const markdown = await md.text();
      assert.ok(markdown.includes(`\`\`\`text\n${block('3 (tests:1, monitors:1, gates:1)')}\n\`\`\``));
      for (const heading of [
        '## Summary',
        '## Impact',
        '## Timeline',
        '## Root cause',
        '## Contributing factors',
        '## Detection',
        '### Why monitoring did not catch it earlier',
        '## Why it slipped through tests / CI',
        '## What went well',
        '## What went badly',
        '## Action items',
        '## Revisit when',
      ]) {
        assert.ok(markdown.includes(`\n${heading}\n`), heading);
      }
      assert.ok(markdown.includes('| Events | 12 |') && markdown.includes('| Affected users | 4 |'));
      assert.ok(markdown.includes('The checkout tests never sent an **empty** cart.'));
      const uri = /!\[[^\]]*\]\(data:image\/svg\+xml;base64,([A-Za-z0-9+/=]+)\)/.exec(markdown);
      assert.ok(uri, 'the chart is embedded');
      const svg = Buffer.from(uri[1], 'base64').toString('utf8');
      assert.ok(
        svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"') && svg.trimEnd().endsWith('</svg>'),
      );
      assert.ok(svg.includes('>deploy web@2</text>') && svg.includes('>rollback web@1</text>'));
      const asFile = await fetch(`${t.url}${inc}/postmortem.md`, {
        headers: { Authorization: `Bearer ${s.token}` },
      });
      assert.equal(await asFile.text(), markdown);
      const chart = await fetch(`${t.url}${inc}/postmortem/chart.svg`, {
        headers: { Authorization: `Bearer ${s.token}` },
      });
      assert.match(chart.headers.get('content-type') ?? '', /^image\/svg\+xml/);
      assert.ok((await chart.text()).includes('>rollback web@1</text>'));

      // Four days on, the monitor is overdue (listed across incidents) until it is done.
      const overdue = async () =>
        (await api.get(`${org}/action-items/?overdue=1`)).body.map((i: any) => i.id);
      assert.deepEqual(await overdue(), []);
      clock.advance(4 * DAY);
      assert.deepEqual(await overdue(), [monitor.id]);
      const listed = await firebreak(['action', 'list', '--overdue']);
      assert.match(
        listed.stdout,
        new RegExp(
          `^${monitor.id}\\s+monitor\\s+open\\s+\\S+ OVERDUE\\s+SRE team\\s+INC-1\\s+Alert on checkout errors$`,
          'm',
        ),
      );
      assert.equal((await firebreak(['action', 'done', monitor.id])).code, 0);
      assert.deepEqual(await overdue(), []);
      const revisit = (await api.get(`${inc}/postmortem/`)).body.revisit;
      assert.deepEqual([revisit.total, revisit.done, revisit.wontDo, revisit.complete], [3, 1, 1, false]);
      assert.match(
        revisit.text,
        /^When its action items are complete: 1 of 3 done \(33 %\); next due \d{4}-\d\d-\d\d: Test checkout/,
      );
      const kinds = (await api.get(`${inc}/timeline/`)).body.map((e: any) => e.kind);
      assert.equal(kinds.filter((k: string) => k === 'action_item').length, 6);
      assert.equal(kinds.filter((k: string) => k === 'postmortem').length, 2);

      // Closing now works; the post-mortem is final; the incident is no longer open.
      const closed = await firebreak(['incident', 'status', 'INC-1', 'closed', '--json']);
      assert.equal(closed.code, 0, closed.stderr);
      assert.equal(JSON.parse(closed.stdout).status, 'closed');
      const final = (await api.get(`${inc}/postmortem/`)).body;
      assert.deepEqual([final.status, final.stale], ['final', false]);
      assert.deepEqual((await api.get(`${org}/incidents/?status=open`)).body, []);
      const timeline = (await api.get(`${inc}/timeline/`)).body;
      assert.equal(timeline.at(-1).kind, 'closed');
      assert.equal(timeline.at(-1).body, 'Closed — post-mortem ADR-0001');
      assert.equal((await api.post(`${inc}/close/`, {})).status, 409);
    });
  });
}
