import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  createTraffic,
  createTrafficIssue,
  DAY,
  HOUR,
  MINUTE,
  type TrafficIssue,
  writeBuckets,
} from '../bench/detector-traffic.ts';
import { manualClock } from '../src/clock.ts';
import { tick } from './helpers/alerts.ts';
import { startQuietServer } from './helpers/quiet-server.ts';
import type { TestServer } from './helpers/server.ts';

/**
 * The spike detector's two behavioural promises on seeded synthetic traffic (bench/detectors.ts
 * measures the same at length). Hours of traffic are written as the digest's minute and hour
 * buckets straight into the store: sending tens of thousands of envelopes would say nothing more
 * about the detector (test/detect-alerts.test.ts sends real ones).
 */
const T0 = Date.parse('2026-11-02T00:00:00Z');
const SECOND = 1000;

async function trafficProject(t: TestServer, rates: number[], startAt: number) {
  const s = await t.setup();
  const projectId = Number(s.projectId);
  const issues: TrafficIssue[] = [];
  for (const [i, perMinute] of rates.entries()) {
    const issue = await createTrafficIssue(
      t.server.ctx.store,
      projectId,
      startAt,
      `Synthetic${i}: ${perMinute}/min`,
    );
    issues.push({ issueId: issue.id, projectId, perMinute });
  }
  // A project-wide spike rule as well as the default per-issue one.
  const created = await t.server.ctx.store.projects.getById(projectId);
  await t.server.ctx.store.alertRules.create({
    orgId: created!.orgId,
    projectId,
    name: 'Project spike',
    detector: 'spike',
    enabled: true,
    conditions: { factor: 3, minCount: 10, windowMinutes: 1, scope: 'project', baseline: 'seasonal' },
    filters: {},
    actions: [],
    cooldownMinutes: 30,
    isDefault: false,
    createdBy: 'test',
    createdAt: startAt,
  });
  return { s, issues };
}

for (const backend of ['sqlite', 'postgres'] as const) {
  describe(`spike detector on synthetic traffic (${backend})`, () => {
    let t: TestServer;
    const clock = manualClock(T0);
    before(async () => {
      t = await startQuietServer(backend, clock);
    });
    after(() => t.close());

    test('a noisy steady baseline over 24 simulated hours raises no spike alert', {
      skip: backend === 'postgres' && 'the same on SQLite; PostgreSQL runs the spike test',
    }, async () => {
      clock.set(T0);
      const traffic = createTraffic(0x5eed);
      const { issues } = await trafficProject(t, [1, 5, 20, 100], T0);
      await tick(t);
      const spikes = [];
      // Ten simulated minutes per pass: the pass evaluates every minute boundary since the last one.
      for (let at = T0; at < T0 + DAY; at += 10 * MINUTE) {
        const rows = [];
        for (let minute = at; minute < at + 10 * MINUTE; minute += MINUTE)
          rows.push(...traffic.slice(issues, minute, MINUTE));
        await writeBuckets(t.server.ctx.store, rows);
        clock.set(at + 10 * MINUTE);
        spikes.push(...(await tick(t)).fired.filter((f) => f.detector === 'spike'));
      }
      assert.deepEqual(
        spikes.map((f) => f.summary),
        [],
      );
    });

    test('a 5× spike alerts within one simulated minute, with its numbers', async () => {
      const start = T0 + 2 * DAY;
      clock.set(start);
      const traffic = createTraffic(0xbeef);
      const { issues } = await trafficProject(t, [20, 2], start);
      await tick(t);
      for (let at = start; at < start + 2 * HOUR; at += 10 * MINUTE) {
        const rows = [];
        for (let minute = at; minute < at + 10 * MINUTE; minute += MINUTE)
          rows.push(...traffic.slice(issues, minute, MINUTE));
        await writeBuckets(t.server.ctx.store, rows);
        clock.set(at + 10 * MINUTE);
        assert.equal(
          (await tick(t)).fired.filter((f) => f.detector === 'spike').length,
          0,
          'no spike before it starts',
        );
      }
      // 5× from 17 s into a minute; events arrive in 5-second slices and the detector runs every 10 s.
      const spikeAt = start + 2 * HOUR + 17 * SECOND;
      issues[0].spike = { at: spikeAt, factor: 5 };
      const fired = [];
      for (let at = start + 2 * HOUR; at < spikeAt + 2 * MINUTE && fired.length === 0; at += 5 * SECOND) {
        await writeBuckets(t.server.ctx.store, traffic.slice(issues, at, 5 * SECOND));
        clock.set(at + 5 * SECOND);
        if ((at / SECOND) % 10 === 5)
          fired.push(...(await tick(t)).fired.filter((f) => f.detector === 'spike'));
      }
      assert.ok(fired.length > 0, 'the spike fired');
      const issueSpike = fired.find((f) => f.issueId === issues[0].issueId);
      assert.ok(issueSpike, JSON.stringify(fired.map((f) => f.summary)));
      const latency = issueSpike.firedAt - spikeAt;
      assert.ok(latency > 0 && latency <= MINUTE, `fired ${latency / SECOND} s after the spike began`);
      assert.ok((issueSpike.data.ratio as number) >= 3, JSON.stringify(issueSpike.data));
      assert.ok(
        (issueSpike.data.baselinePerMinute as number) > 10 &&
          (issueSpike.data.baselinePerMinute as number) < 40,
      );
    });
  });
}
