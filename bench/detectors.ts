import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { manualClock } from '../src/clock.ts';
import { loadConfig } from '../src/config/config.ts';
import { tickDetectors } from '../src/detect/ticker.ts';
import { type RunningServer, startServer } from '../src/main.ts';
import { setupProject } from '../src/projects/setup-project.ts';
import type { AlertFiring } from '../src/store/types-alerts.ts';
import {
  createTraffic,
  createTrafficIssue,
  DAY,
  HOUR,
  MINUTE,
  type TrafficIssue,
  writeBuckets,
} from './detector-traffic.ts';
import { printDetectorFigures } from './detectors-report.ts';

/**
 * Detector figures (docs/alerting.md), on seeded synthetic traffic written into a real store and
 * evaluated by the real detector passes on a manual clock. Figures, not assertions.
 *
 *   node bench/detectors.ts [--backend sqlite|postgres] [--trials 20] [--days 7] [--json]
 */

const SECOND = 1000;
const T0 = Date.parse('2026-11-02T00:00:00Z');
const STEADY_RATES = [0.5, 2, 5, 20, 100];
const METHODS = ['seasonal', 'ewma'] as const;

const { values } = parseArgs({
  options: {
    backend: { type: 'string', default: 'sqlite' },
    trials: { type: 'string', default: '20' },
    days: { type: 'string', default: '7' },
    json: { type: 'boolean', default: false },
  },
  strict: true,
});

async function openServer(
  clock: ReturnType<typeof manualClock>,
): Promise<{ server: RunningServer; done: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'firebreak-bench-detect-'));
  let databaseUrl = `sqlite:${join(dir, 'bench.db')}`;
  let dropDatabase = async () => {};
  if (values.backend === 'postgres') {
    const { createPostgresTestDatabase } = await import('../src/store/test-databases.ts');
    const database = await createPostgresTestDatabase();
    databaseUrl = database.url;
    dropDatabase = database.cleanup;
  }
  const quiet = {
    detectorTickSeconds: 0,
    notifyTickSeconds: 0,
    escalationTickSeconds: 0,
    incidentTickSeconds: 0,
  };
  const config = loadConfig({ host: '127.0.0.1', port: 0, databaseUrl, logLevel: 'silent', ...quiet }, {});
  const server = await startServer(config, { clock });
  return {
    server,
    done: async () => {
      await server.close();
      await dropDatabase();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A project with one issue per rate and one spike rule per baseline method (the default rules removed). */
async function project(server: RunningServer, name: string, rates: number[], startAt: number) {
  const store = server.ctx.store;
  const s = await setupProject(
    { store, now: startAt, publicUrl: server.url },
    { org: `bench-${name}`, project: name },
  );
  const projectId = Number(s.projectId);
  const org = await store.orgs.getBySlug(s.org);
  await store.alertRules.createDefaults(projectId, []);
  const rules = new Map<number, string>();
  for (const baseline of METHODS) {
    const rule = await store.alertRules.create({
      orgId: org!.id,
      projectId,
      name: `spike (${baseline})`,
      detector: 'spike',
      enabled: true,
      conditions: { factor: 3, minCount: 10, windowMinutes: 1, scope: 'issue', baseline },
      filters: {},
      actions: [],
      cooldownMinutes: 30,
      isDefault: false,
      createdBy: 'bench',
      createdAt: startAt,
    });
    rules.set(rule.id, baseline);
  }
  const issues: TrafficIssue[] = [];
  for (const perMinute of rates) {
    const issue = await createTrafficIssue(store, projectId, startAt, `Synthetic: ${perMinute}/min`);
    issues.push({ issueId: issue.id, projectId, perMinute });
  }
  return { issues, rules };
}

/** Writes traffic minute by minute and runs a detector pass every `passMinutes`; returns the spike firings. */
async function simulate(
  server: RunningServer,
  clock: ReturnType<typeof manualClock>,
  traffic: ReturnType<typeof createTraffic>,
  issues: TrafficIssue[],
  from: number,
  until: number,
  passMinutes = 10,
): Promise<AlertFiring[]> {
  const fired: AlertFiring[] = [];
  for (let at = from; at < until; at += passMinutes * MINUTE) {
    const rows = [];
    for (let m = at; m < at + passMinutes * MINUTE; m += MINUTE)
      rows.push(...traffic.slice(issues, m, MINUTE));
    await writeBuckets(server.ctx.store, rows);
    clock.set(at + passMinutes * MINUTE);
    fired.push(...(await tickDetectors(server.ctx)).fired.filter((f) => f.detector === 'spike'));
  }
  return fired;
}

const per = (firings: AlertFiring[], rules: Map<number, string>, method: string) =>
  firings.filter((f) => rules.get(f.ruleId) === method);

async function steadyDay() {
  const clock = manualClock(T0);
  const { server, done } = await openServer(clock);
  try {
    const { issues, rules } = await project(server, 'steady', STEADY_RATES, T0);
    await tickDetectors(server.ctx);
    const started = performance.now();
    const fired = await simulate(server, clock, createTraffic(0x5eed), issues, T0, T0 + DAY);
    const ms = performance.now() - started;
    return {
      hours: 24,
      issues: STEADY_RATES,
      spikeAlerts: Object.fromEntries(METHODS.map((m) => [m, per(fired, rules, m).length])),
      passes: 144,
      msPerPass: Math.round((ms / 144) * 10) / 10,
    };
  } finally {
    await done();
  }
}

async function spikeLatency(trials: number) {
  const rates = [2, 5, 20, 100];
  const latencies = new Map<string, number[]>();
  const missed = new Map<string, number>();
  for (let trial = 0; trial < trials; trial++) {
    const start = T0 + trial * DAY;
    const clock = manualClock(start);
    const { server, done } = await openServer(clock);
    try {
      const { issues, rules } = await project(server, `spike${trial}`, rates, start);
      const traffic = createTraffic(1000 + trial);
      await tickDetectors(server.ctx);
      await simulate(server, clock, traffic, issues, start, start + 2 * HOUR);
      // 5× from a random second; events in 5 s slices; a pass every 10 s (the default interval).
      const spikeAt = start + 2 * HOUR + Math.floor(((trial * 37) % 60) * SECOND);
      for (const issue of issues) issue.spike = { at: spikeAt, factor: 5 };
      const firstFired = new Map<string, number>();
      for (let at = start + 2 * HOUR; at < spikeAt + 3 * MINUTE; at += 5 * SECOND) {
        await writeBuckets(server.ctx.store, traffic.slice(issues, at, 5 * SECOND));
        clock.set(at + 5 * SECOND);
        if (((at - start) / SECOND) % 10 !== 5) continue;
        for (const f of (await tickDetectors(server.ctx)).fired) {
          const issue = issues.find((i) => i.issueId === f.issueId);
          const key = `${issue?.perMinute}/min ${rules.get(f.ruleId)}`;
          if (issue && f.detector === 'spike' && !firstFired.has(key))
            firstFired.set(key, f.firedAt - spikeAt);
        }
      }
      for (const rate of rates) {
        for (const method of METHODS) {
          const key = `${rate}/min ${method}`;
          const latency = firstFired.get(key);
          if (latency === undefined || latency < 0) missed.set(key, (missed.get(key) ?? 0) + 1);
          else latencies.set(key, [...(latencies.get(key) ?? []), latency / SECOND]);
        }
      }
    } finally {
      await done();
    }
  }
  return rates.flatMap((rate) =>
    METHODS.map((method) => {
      const key = `${rate}/min ${method}`;
      const found = (latencies.get(key) ?? []).sort((a, b) => a - b);
      return {
        rate,
        method,
        trials,
        detected: found.length,
        withinMinute: found.filter((s) => s <= 60).length,
        medianSeconds: found.length ? found[Math.floor(found.length / 2)] : null,
        maxSeconds: found.length ? found.at(-1)! : null,
        missedOrEarly: missed.get(key) ?? 0,
      };
    }),
  );
}

async function noisyWeek(days: number) {
  const clock = manualClock(T0);
  const { server, done } = await openServer(clock);
  try {
    const { issues, rules } = await project(server, 'week', [...STEADY_RATES, 5], T0);
    // The last issue has a level it reaches every day: 5× during 08:00–16:00 UTC.
    const daily = issues.at(-1)!;
    daily.daily = { fromHour: 8, toHour: 16, factor: 5 };
    await tickDetectors(server.ctx);
    const fired = await simulate(server, clock, createTraffic(0x7eed), issues, T0, T0 + days * DAY);
    const steadyIds = new Set(issues.slice(0, -1).map((i) => i.issueId));
    return METHODS.map((method) => {
      const mine = per(fired, rules, method);
      const steady = mine.filter((f) => steadyIds.has(f.issueId!));
      const dailyDays = [
        ...new Set(
          mine.filter((f) => f.issueId === daily.issueId).map((f) => Math.floor((f.firedAt - T0) / DAY) + 1),
        ),
      ];
      return {
        method,
        days,
        steadyIssues: steadyIds.size,
        falseAlerts: steady.length,
        perIssueDay: Math.round((steady.length / (steadyIds.size * days)) * 1000) / 1000,
        perEvaluatedMinute: steady.length / (steadyIds.size * days * 1440),
        dailyStepAlertDays: dailyDays,
        falseAlertDetails: steady.map((f) => {
          const rate = issues.find((i) => i.issueId === f.issueId)?.perMinute;
          return `${rate}/min: ${f.data.countEstimated ? '~' : ''}${f.data.count} events vs ${f.data.expected} expected (z ${f.data.z})`;
        }),
      };
    });
  } finally {
    await done();
  }
}

const trials = Number(values.trials);
const days = Number(values.days);
const results = {
  backend: values.backend,
  steady24h: await steadyDay(),
  spike5x: await spikeLatency(trials),
  week: await noisyWeek(days),
};
if (values.json) console.log(JSON.stringify(results, null, 2));
else printDetectorFigures(results, { trials, days });
