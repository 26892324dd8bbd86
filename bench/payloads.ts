import { gzipSync } from 'node:zlib';
import type { Project } from '../src/store/types.ts';
import { randomIndex, seededRandom } from './random.ts';
import { MODULES, SDK, sdkEnvelopeHeader } from './sdk-shape.ts';

/**
 * Event templates shaped like what `@sentry/node` sends (reference/sentry-clients.md §4,
 * sentry-protocol.md §3.5). Each template is serialized once; a request only splices a fresh
 * event_id, timestamps and user into a small head in front of the shared, pre-encoded tail.
 */

export type ProfileName = 'typical' | 'heavy';

export interface Profile {
  name: ProfileName;
  minEventBytes: number;
  issues: number;
  users: number;
  releases: number;
  environments: number;
  breadcrumbs: number;
  templates: number;
}

export const PROFILES: Record<ProfileName, Profile> = {
  typical: {
    name: 'typical',
    minEventBytes: 6 * 1024,
    issues: 200,
    users: 1000,
    releases: 5,
    environments: 2,
    breadcrumbs: 20,
    templates: 1000,
  },
  // Bugsink's published ingest test uses 50 KB events.
  heavy: {
    name: 'heavy',
    minEventBytes: 50 * 1024,
    issues: 200,
    users: 1000,
    releases: 5,
    environments: 2,
    breadcrumbs: 100,
    templates: 600,
  },
};

/** @sentry/core gzips request bodies above 32 KiB (node transport GZIP_THRESHOLD). */
const GZIP_THRESHOLD = 32 * 1024;

export interface Template {
  /** Envelope header fields after event_id and sent_at. */
  headerRest: string;
  /** The event JSON after the spliced fields, already encoded (a gzip member when gzip is set). */
  tail: Buffer;
  tailBytes: number;
  gzip: boolean;
}

export interface TemplatePool {
  profile: Profile;
  templates: Template[];
}

export interface Envelope {
  chunks: Buffer[];
  gzip: boolean;
  /** Bytes on the wire. */
  length: number;
  /** Bytes once decompressed. */
  envelopeBytes: number;
}

const ENVIRONMENTS = ['production', 'staging'];
const AREAS = ['orders', 'users', 'billing', 'cart', 'auth', 'search', 'inventory', 'shipping', 'reports'];
const VERBS = ['load', 'save', 'validate', 'resolve', 'compute', 'fetch', 'apply', 'parse', 'sync', 'render'];
const NOUNS = ['Order', 'Invoice', 'Customer', 'Session', 'Coupon', 'Address', 'Payment', 'Token', 'Item'];
const ERRORS = ['TypeError', 'RangeError', 'Error', 'ValidationError', 'DatabaseError', 'TimeoutError'];

/** The project a prepared bench event belongs to, for running the prepare step outside a server. */
export const PREPARE_PROJECT = { id: 1, orgId: 1, slug: 'bench', name: 'Bench', platform: 'node' } as Project;

export function buildTemplatePool(profile: Profile, publicKey: string): TemplatePool {
  const random = seededRandom(0x5eed);
  const issues = Array.from({ length: profile.issues }, (_, i) => buildIssue(i, random));
  const templates = Array.from({ length: profile.templates }, (_, i) => {
    const release = `web@1.${randomIndex(random, profile.releases)}.0`;
    const environment = ENVIRONMENTS[randomIndex(random, profile.environments)];
    const event = buildEvent(profile, issues[i % issues.length], { release, environment }, random);
    padToSize(event, profile.minEventBytes, random);
    const traceId = event.contexts.trace.trace_id;
    const headerRest = sdkEnvelopeHeader({ release, environment, publicKey, traceId });
    const tailText = JSON.stringify(event).slice(1);
    const tailBytes = Buffer.byteLength(tailText);
    const gzip = tailBytes > GZIP_THRESHOLD;
    return { headerRest, tail: gzip ? gzipSync(tailText) : Buffer.from(tailText), tailBytes, gzip };
  });
  return { profile, templates };
}

/** One request body; a gzip body is two gzip members, which every gunzip reads as one stream. */
export function buildEnvelope(pool: TemplatePool, random: () => number): Envelope {
  const template = pool.templates[randomIndex(random, pool.templates.length)];
  const eventId = crypto.randomUUID().replaceAll('-', '');
  const userNumber = randomIndex(random, pool.profile.users);
  const user = `{"id":"u${userNumber}","email":"user${userNumber}@example.com","ip_address":"10.1.${userNumber >> 8}.${userNumber & 255}"}`;
  const text = spliceHead(template.headerRest, eventId, Date.now(), user);
  const head = template.gzip ? gzipSync(text, { level: 1 }) : Buffer.from(text);
  return {
    chunks: [head, template.tail],
    gzip: template.gzip,
    length: head.length + template.tail.length,
    envelopeBytes: Buffer.byteLength(text) + template.tailBytes,
  };
}

function spliceHead(headerRest: string, eventId: string, nowMs: number, user: string): string {
  const sentAt = new Date(nowMs).toISOString();
  return (
    `{"event_id":"${eventId}","sent_at":"${sentAt}",${headerRest}}\n{"type":"event"}\n` +
    `{"event_id":"${eventId}","timestamp":${nowMs / 1000},"user":${user},`
  );
}

interface Issue {
  index: number;
  type: string;
  value: string;
  area: string;
  functions: string[];
  handled: boolean;
}

function buildIssue(index: number, random: () => number): Issue {
  const area = AREAS[index % AREAS.length];
  // Distinct in-app function names per issue, so each issue gets its own stack hash.
  const leaf = `${VERBS[index % VERBS.length]}${NOUNS[Math.floor(index / VERBS.length) % NOUNS.length]}`;
  const functions = [
    'handleRequest',
    `${area}Router.${VERBS[(index + 3) % VERBS.length]}`,
    `${capitalize(area)}Service.${leaf}`,
    `${capitalize(area)}Repository.${leaf}`,
    `assert${NOUNS[index % NOUNS.length]}${index}`,
  ];
  const type = ERRORS[index % ERRORS.length];
  const value =
    type === 'TypeError'
      ? `Cannot read properties of undefined (reading '${NOUNS[index % NOUNS.length].toLowerCase()}Id')`
      : `${leaf} failed for ${area} ${Math.floor(random() * 1e6)}: constraint ${index}`;
  return { index, type, value, area, functions, handled: index % 3 !== 0 };
}

type Event = ReturnType<typeof buildEvent>;

function buildEvent(
  profile: Profile,
  issue: Issue,
  version: { release: string; environment: string },
  random: () => number,
) {
  const traceId = hex(random, 32);
  const route = `/api/${issue.area}/:id`;
  return {
    level: 'error',
    platform: 'node',
    server_name: `web-${1 + randomIndex(random, 4)}`,
    transaction: `GET ${route}`,
    ...version,
    exception: {
      values: [
        {
          type: issue.type,
          value: issue.value,
          stacktrace: { frames: buildFrames(issue) },
          mechanism: issue.handled
            ? { type: 'generic', handled: true }
            : { type: 'auto.middleware.express', handled: false },
        },
      ],
    },
    // @sentry/node sends a bare list, not {values: […]}.
    breadcrumbs: buildBreadcrumbs(profile, issue, random),
    request: {
      method: 'GET',
      url: `https://shop.example.com/api/${issue.area}/${randomIndex(random, 100000)}?expand=items`,
      query_string: 'expand=items',
      headers: {
        host: 'shop.example.com',
        'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Chrome/130.0 Safari/537.36',
        accept: 'application/json',
        'x-request-id': hex(random, 16),
      },
    },
    contexts: {
      trace: { trace_id: traceId, span_id: hex(random, 16) },
      runtime: { name: 'node', version: 'v24.11.0' },
      os: { kernel_version: '6.8.0-45-generic', name: 'Linux', version: '6.8.0' },
      device: { arch: 'x64', memory_size: 8_323_203_072, processor_count: 4 },
      app: { app_start_time: '2026-11-22T07:00:00.000Z', app_memory: 91_234_304 },
      culture: { locale: 'en-US', timezone: 'UTC' },
      cloud_resource: {},
    },
    tags: { region: random() < 0.5 ? 'eu-west-1' : 'us-east-1', feature: issue.area },
    extra: {} as Record<string, unknown>,
    sdk: SDK,
    modules: MODULES,
  };
}

function buildFrames(issue: Issue) {
  const [handler, router, service, repository, leaf] = issue.functions;
  const line = 20 + issue.index;
  // Oldest first: Node internals, Express, then the app's route calling into its data layer.
  return [
    node('node:internal/process/task_queues', 'processTicksAndRejections', 105),
    node('node:internal/timers', 'listOnTimeout', 581),
    vendor('express/lib/router/index.js', 'express.lib.router:index', 'Function.handle', 175),
    vendor('express/lib/router/index.js', 'express.lib.router:index', 'next', 280),
    vendor('express/lib/router/layer.js', 'express.lib.router:layer', 'Layer.handle [as handle_request]', 95),
    vendor('express/lib/router/route.js', 'express.lib.router:route', 'Route.dispatch', 119),
    vendor('body-parser/lib/types/json.js', 'body-parser.lib.types:json', 'jsonParser', 101),
    app('src/server.js', handler, 41),
    app(`src/routes/${issue.area}.js`, router, line),
    app(`src/services/${issue.area}.js`, service, line + 9),
    vendor('pg-pool/index.js', 'pg-pool:index', 'BoundPool.query', 423),
    vendor('pg/lib/client.js', 'pg.lib:client', 'Client._handleReadyForQuery', 380),
    vendor('pg/lib/connection.js', 'pg.lib:connection', 'Connection.<anonymous>', 117),
    app(`src/db/${issue.area}-repository.js`, repository, line + 2),
    app('src/lib/assert.js', leaf, 12),
  ];
}

function node(filename: string, fn: string, lineno: number) {
  return { filename, module: filename.split('/').pop(), function: fn, lineno, colno: 5, in_app: false };
}

function vendor(path: string, module: string, fn: string, lineno: number) {
  const filename = `/app/node_modules/${path}`;
  return { filename, module, function: fn, lineno, colno: 12, in_app: false };
}

function app(path: string, fn: string, lineno: number) {
  const name = fn.split('.').pop();
  return {
    filename: `/app/${path}`,
    module: path
      .replace(/\.js$/, '')
      .replace(/\/([^/]*)$/, ':$1')
      .replaceAll('/', '.'),
    function: fn,
    lineno,
    colno: 18,
    in_app: true,
    pre_context: [`async function ${name}(ctx, input) {`],
    context_line: `  return (await ctx.db.find(input.id)).${name};`,
    post_context: ['}'],
  };
}

function buildBreadcrumbs(profile: Profile, issue: Issue, random: () => number) {
  const start = 1_795_334_000;
  return Array.from({ length: profile.breadcrumbs }, (_, i) => {
    const timestamp = start + i * 0.137;
    if (i % 4 === 1) {
      const url = `http://stock/${issue.area}/${randomIndex(random, 1e5)}`;
      return { timestamp, type: 'http', category: 'http', data: { url, method: 'GET', status_code: 200 } };
    }
    if (i % 4 === 3) return { timestamp, category: 'query', message: `SELECT * FROM ${issue.area}` };
    return { timestamp, category: 'console', level: 'log', message: `step ${i}` };
  });
}

/** Tops the event up with `extra` lines to the profile's minimum size. */
function padToSize(event: Event, targetBytes: number, random: () => number): void {
  const lines: unknown[] = [];
  event.extra.cartLines = lines;
  let size = Buffer.byteLength(JSON.stringify(event));
  while (size < targetBytes) {
    const line = { sku: `SKU-${hex(random, 8)}`, quantity: 1 + randomIndex(random, 5), note: 'gift wrap' };
    lines.push(line);
    size += JSON.stringify(line).length + 1;
  }
}

function capitalize(word: string): string {
  return word[0].toUpperCase() + word.slice(1);
}

function hex(random: () => number, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += randomIndex(random, 16).toString(16);
  return out;
}
