import { randomBytes } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { commitBatch } from '../src/digest/commit.ts';
import { type PreparedEvent, prepareEvent } from '../src/digest/prepare.ts';
import { setupProject } from '../src/projects/setup-project.ts';
import { openStore } from '../src/store/open-store.ts';
import type { Issue, Project, Store } from '../src/store/types.ts';
import type { IssueChange } from '../src/store/types-issues.ts';
import { buildTemplatePool, PROFILES } from './payloads.ts';
import {
  DAY_MS,
  type DatasetShape,
  type EventSpec,
  eventAttributes,
  type IssueSpec,
  PROJECT_SLUGS,
  planEventTimes,
  planIssues,
} from './query-dataset.ts';
import { seededRandom } from './random.ts';

/**
 * Fills a database with the query benchmark's data set through the product's own write path:
 * setupProject for the org and projects, then commitBatch (the digest's transaction) in batches.
 * prepareEvent runs once per issue on an @sentry/node-shaped event; each stored event is a clone
 * of its issue's prepared event with its own id, time, release, environment, user, level and
 * tags. Clones share the template's compressed payload, which only the event pages decode.
 */

export const BENCH_ORG = 'bench';
const BATCH_EVENTS = 2000;
const STATUS_BATCH = 500;
const PROGRESS_EVERY_MS = 10_000;
/** autovacuum_naptime's default. */
const MAINTAIN_EVERY_MS = 60_000;
/** Keys the clone sets per event; the template's other tags stay as prepared. */
const VARIED_TAGS = new Set(['level', 'environment', 'release', 'server_name', 'user']);

export interface GenerationReport {
  events: number;
  issues: number;
  seconds: number;
  eventsPerSec: number;
  /** Of `seconds`, spent in the maintenance hook (VACUUM ANALYZE on PostgreSQL). */
  maintenanceSeconds: number;
  resolved: number;
  ignored: number;
}

export interface GenerationHooks {
  log(line: string): void;
  /** Runs about once a minute while writing, and once at the end (PostgreSQL: VACUUM ANALYZE). */
  maintain?(final: boolean): Promise<void>;
}

export async function generateDataset(
  databaseUrl: string,
  shape: DatasetShape,
  hooks: GenerationHooks,
): Promise<GenerationReport> {
  const { log } = hooks;
  const started = performance.now();
  const store = await openStore(databaseUrl);
  try {
    await store.migrate();
    const projects = await setupProjects(store, shape.now);
    const issues = planIssues(shape);
    const templates = prepareTemplates(issues, projects, shape.now);
    const times = planEventTimes(shape, issues);
    const attributes = eventAttributes(shape, issues);
    log(`templates and plan ready in ${Math.round(performance.now() - started)} ms; writing events…`);
    let lastProgress = performance.now();
    let lastMaintenance = performance.now();
    let maintenanceMs = 0;
    for (let first = 0; first < shape.events; first += BATCH_EVENTS) {
      const count = Math.min(BATCH_EVENTS, shape.events - first);
      const ids = randomBytes(16 * count).toString('hex');
      const batch: PreparedEvent[] = [];
      for (let i = 0; i < count; i++) {
        const spec = attributes(times.issue[first + i], times.timestamp[first + i]);
        batch.push(cloneEvent(templates[spec.issue], spec, ids.slice(32 * i, 32 * i + 32)));
      }
      await commitBatch(store, batch, []);
      if (performance.now() - lastProgress > PROGRESS_EVERY_MS) {
        lastProgress = performance.now();
        const rate = (first + count) / ((lastProgress - started) / 1000);
        log(`  ${first + count} / ${shape.events} events (${Math.round(rate)}/s)`);
      }
      if (hooks.maintain && performance.now() - lastMaintenance > MAINTAIN_EVERY_MS) {
        const maintenanceStarted = performance.now();
        await hooks.maintain(false);
        lastMaintenance = performance.now();
        maintenanceMs += lastMaintenance - maintenanceStarted;
      }
    }
    // Autovacuum would run beside the writes, so its stand-in's time is not write time.
    const eventSeconds = (performance.now() - started - maintenanceMs) / 1000;
    const statuses = await setStatuses(store, projects, shape);
    const finalStarted = performance.now();
    await hooks.maintain?.(true);
    maintenanceMs += performance.now() - finalStarted;
    const seconds = (performance.now() - started) / 1000;
    return {
      events: shape.events,
      issues: statuses.issues,
      seconds: Math.round(seconds * 10) / 10,
      eventsPerSec: Math.round(shape.events / eventSeconds),
      maintenanceSeconds: Math.round(maintenanceMs / 100) / 10,
      resolved: statuses.resolved,
      ignored: statuses.ignored,
    };
  } finally {
    await store.close();
  }
}

/** The bench org and its projects (setup also mints a token each time; the HTTP phase mints its own). */
async function setupProjects(store: Store, now: number): Promise<Project[]> {
  const projects: Project[] = [];
  for (const slug of PROJECT_SLUGS) {
    const result = await setupProject(
      { store, now, publicUrl: 'http://127.0.0.1:8000' },
      { org: BENCH_ORG, project: slug, platform: 'node' },
    );
    const project = await store.projects.getById(Number(result.projectId));
    if (!project) throw new Error(`project ${slug} vanished after setup`);
    projects.push(project);
  }
  return projects;
}

/** One prepared event per issue, from the ingest bench's @sentry/node-shaped templates. */
function prepareTemplates(issues: IssueSpec[], projects: Project[], now: number): PreparedEvent[] {
  const profile = { ...PROFILES.typical, issues: issues.length, templates: issues.length };
  const pool = buildTemplatePool(profile, 'bench');
  return issues.map((issue, index) => {
    const template = pool.templates[index];
    const tail = (template.gzip ? gunzipSync(template.tail) : template.tail).toString();
    const raw = JSON.parse(`{"event_id":"${'0'.repeat(32)}","timestamp":${now / 1000},${tail}`);
    raw.level = issue.level;
    raw.user = { id: 'u0' };
    return prepareEvent(raw, { project: projects[issue.project], receivedAt: now });
  });
}

function cloneEvent(template: PreparedEvent, spec: EventSpec, eventId: string): PreparedEvent {
  const tags = template.tags.filter(([key]) => !VARIED_TAGS.has(key));
  tags.push(
    ['level', spec.level],
    ['environment', spec.environment],
    ['release', spec.release],
    ['server_name', spec.serverName],
    ['user', spec.userKey],
  );
  return {
    ...template,
    eventId,
    timestamp: spec.timestamp,
    receivedAt: spec.receivedAt,
    level: spec.level,
    release: spec.release,
    environment: spec.environment,
    userKey: spec.userKey,
    // As @sentry/node's setUser({ id, email }) leaves them: issue search's user.email reads these.
    userFields: { id: spec.userKey.slice(3), email: `${spec.userKey.slice(3)}@example.com` },
    tags,
  };
}

/**
 * A lived-in project: most issues not seen for three days are resolved, and a few issues are
 * ignored, through the store's conditional issue update with its activity rows.
 */
async function setStatuses(store: Store, projects: Project[], shape: DatasetShape) {
  const random = seededRandom(shape.seed + 3);
  const all = await listAllIssues(store, projects);
  const changes: IssueChange[] = [];
  let resolved = 0;
  let ignored = 0;
  for (const issue of all) {
    const stale = issue.lastSeen < shape.now - 3 * DAY_MS;
    const pick = random();
    if (stale && pick < 0.6) {
      resolved++;
      changes.push(statusChange(issue, 'resolved', shape.now));
    } else if (pick > 0.95) {
      ignored++;
      changes.push(statusChange(issue, 'ignored', shape.now));
    }
  }
  for (let first = 0; first < changes.length; first += STATUS_BATCH)
    await store.issues.update(changes.slice(first, first + STATUS_BATCH));
  return { issues: all.length, resolved, ignored };
}

function statusChange(issue: Issue, status: 'resolved' | 'ignored', now: number): IssueChange {
  const activity =
    status === 'resolved' ? { type: 'set_resolved', data: {} } : { type: 'set_ignored', data: {} };
  return {
    issueId: issue.id,
    from: ['unresolved'],
    status: {
      status,
      substatus: status === 'ignored' ? 'archived_forever' : null,
      resolvedAt: status === 'resolved' ? now : null,
      details: null,
    },
    activities: [{ ...activity, actor: 'system', createdAt: now }],
  };
}

async function listAllIssues(store: Store, projects: Project[]): Promise<Issue[]> {
  const issues: Issue[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.issues.list({
      orgId: projects[0].orgId,
      projectIds: projects.map((p) => p.id),
      sort: 'date',
      limit: 100,
      cursor,
    });
    issues.push(...page.issues);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return issues;
}
