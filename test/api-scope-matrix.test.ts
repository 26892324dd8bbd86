import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { alertRoutes } from '../src/api/routes/alerts.ts';
import { incidentInsightRoutes } from '../src/api/routes/incident-insights.ts';
import { incidentResponseRoutes } from '../src/api/routes/incident-response.ts';
import { incidentTriageRoutes } from '../src/api/routes/incident-triage.ts';
import { incidentRoutes } from '../src/api/routes/incidents.ts';
import { notificationRoutes } from '../src/api/routes/notifications.ts';
import { postmortemRoutes } from '../src/api/routes/postmortems.ts';
import { ALL_SCOPES, expandScopes, ROLE_SCOPES, type Scope } from '../src/auth/scopes.ts';
import { manualClock } from '../src/clock.ts';
import type { AppContext } from '../src/context.ts';
import { type HttpReceiver, startHttpReceiver } from './helpers/http-receiver.ts';
import { memberWithToken, mintToken, sendEvent } from './helpers/issues.ts';
import { startTestServer, type TestServer } from './helpers/server.ts';

/**
 * One matrix over every route the incident, post-mortem, insight, alert and notification route
 * files register (enumerated from Fastify itself, so a new route without a row fails here):
 * no token is 401; another organisation's token is 404 like a missing resource; a token without
 * the route's scope (an unrelated one, the read scope for a write, a role that caps it) is 403
 * and changes nothing; the route's own scope is enough. Secrets never come back in any answer,
 * and attacker-controlled issue titles are escaped in the post-mortem's SVG and Markdown.
 */

const ROUTE_FILES: Record<string, (app: FastifyInstance, opts: { ctx: AppContext }) => Promise<void>> = {
  'incidents.ts': incidentRoutes,
  'incident-triage.ts': incidentTriageRoutes,
  'incident-response.ts': incidentResponseRoutes,
  'postmortems.ts': postmortemRoutes,
  'incident-insights.ts': incidentInsightRoutes,
  'alerts.ts': alertRoutes,
  'notifications.ts': notificationRoutes,
};

const MINUTE = 60_000;
const MISSING = '999999999';
const WEBHOOK_SECRET = 'whsec-matrix-0123456789';
const SLACK_TOKEN = 'slack-matrix-tok3n-abcdef';
const SMTP_PASSWORD = 'smtp-matrix-pa55word';
const HOOK_SECRET = 'hook-matrix-s3cret-xyz';
const HOOK_URL_PASSWORD = 'hook-url-pa55-in-userinfo';
const XSS_TITLE =
  '<script>alert("pm")</script> checkout [pwn](javascript:alert(1)) <img src=x onerror=alert(2)> ```` x';

// ── who may call what ────────────────────────────────────────────────────────────────────────

interface Need {
  /** Every scope the route accepts (a token holding any of them passes the scope check). */
  anyOf: Scope[];
  /** Read scopes of the same resource that must not be enough to change it. */
  readOnly?: Scope[];
  /** Scopes needed besides one of `anyOf` (a delivery log shows issue and incident text). */
  with?: Scope[];
}

const INC_READ: Need = { anyOf: ['incident:read', 'incident:write'] };
const INC_WRITE: Need = { anyOf: ['incident:write'], readOnly: ['incident:read'] };
const SETTINGS_WRITE: Need = {
  anyOf: ['org:write', 'org:admin'],
  readOnly: ['org:read', 'incident:write'],
};
const RUNBOOK_READ: Need = { anyOf: ['incident:read', 'incident:write', 'project:read', 'project:write'] };
const RUNBOOK_WRITE: Need = {
  anyOf: ['incident:write', 'project:write', 'project:admin'],
  readOnly: ['incident:read', 'project:read'],
};
const ALERT_READ: Need = {
  anyOf: ['alerts:read', 'alerts:write', 'project:read', 'project:write', 'project:admin'],
};
const ALERT_WRITE: Need = {
  anyOf: ['alerts:write', 'project:write', 'project:admin'],
  readOnly: ['alerts:read', 'project:read'],
};
// Not bare org:read: every CI token (org:ci) holds it.
const NOTIFY_READ: Need = {
  anyOf: ['alerts:read', 'alerts:write', 'org:write', 'org:admin'],
  readOnly: ['org:read', 'org:ci'],
};
const DELIVERY_READ: Need = {
  ...NOTIFY_READ,
  with: ['event:read'],
  readOnly: ['org:read', 'org:ci', 'alerts:read'],
};
const NOTIFY_WRITE: Need = {
  anyOf: ['org:write', 'org:admin'],
  readOnly: ['org:read', 'alerts:write'],
};
const HOOK_READ: Need = { anyOf: ['project:read', 'project:write', 'project:admin'] };
const HOOK_WRITE: Need = {
  anyOf: ['project:write', 'project:admin'],
  readOnly: ['project:read', 'incident:write'],
};
const DIAGNOSTICS: Need = { anyOf: ['event:read', 'event:write', 'event:admin'] };

/** A scope that grants none of the route's: the first of these that fits. */
function unrelatedScope(need: Need): Scope {
  const found = (['event:read', 'org:read', 'team:read', 'member:read'] as Scope[]).find(
    (candidate) => ![...expandScopes([candidate])].some((s) => (need.anyOf as string[]).includes(s)),
  );
  assert.ok(found, `no unrelated scope for ${need.anyOf.join(',')}`);
  return found;
}

// ── the organisations' data ──────────────────────────────────────────────────────────────────

interface OrgData {
  org: string;
  project: string;
  projectId: string;
  dsnKey: string;
  /** Bound to the organisation, every scope (what `firebreak setup` prints). */
  token: string;
  owner: { id: string; email: string; token: string };
  ref: string;
  issueId: string;
  spareIssueId: string;
  entryId: string;
  runbookId: string;
  spareRunbookId: string;
  actionItemId: string;
  spareActionItemId: string;
  ruleId: string;
  spareRuleId: string;
  webhookId: string;
  spareTargetId: string;
  deliveryId: string;
}

type Values = Record<string, string>;

/** Path parameters by name; `:id` is named by the segment before it. */
function valuesOf(d: OrgData): Values {
  return {
    org: d.org,
    project: d.project,
    ref: d.ref,
    role: 'commander',
    issue: d.issueId,
    entry: d.entryId,
    rule: d.ruleId,
    severity: 'P2',
    'runbooks/:id': d.runbookId,
    'action-items/:id': d.actionItemId,
    'notification-targets/:id': d.webhookId,
    'notification-deliveries/:id': d.deliveryId,
  };
}

/** Parameters naming one resource inside a container (the incident, the project, the org). */
const LEAVES = [
  'issue',
  'entry',
  'rule',
  'runbooks/:id',
  'action-items/:id',
  'notification-targets/:id',
  'notification-deliveries/:id',
];

function fill(route: string, values: Values): string {
  const segments = route.split(' ')[1].split('/');
  return segments
    .map((segment, i) => {
      if (!segment.startsWith(':')) return segment;
      const key = segment === ':id' ? `${segments[i - 1]}/:id` : segment.slice(1);
      const value = values[key];
      assert.ok(value !== undefined, `no value for ${key} in ${route}: add it to valuesOf`);
      return encodeURIComponent(value);
    })
    .join('/');
}

const leavesOf = (route: string): string[] => {
  const segments = route.split(' ')[1].split('/');
  return segments.flatMap((segment, i) => {
    if (!segment.startsWith(':')) return [];
    const key = segment === ':id' ? `${segments[i - 1]}/:id` : segment.slice(1);
    return LEAVES.includes(key) ? [key] : [];
  });
};

// ── the matrix: one row per registered route, in the order the "right scope" pass runs them ──

interface Row {
  route: string;
  need: Need;
  /** The answer with the route's narrowest scope. */
  expect: number;
  body?: (d: OrgData) => unknown;
  /** Parameters for the "right scope" pass only (deletes remove spares, not the fixtures). */
  spare?: (d: OrgData) => Values;
}

const I = '/api/0/organizations/:org/incidents/:ref';
const O = '/api/0/organizations/:org';
const P = '/api/0/projects/:org/:project';

const ROWS: Row[] = [
  // Reads.
  { route: `GET ${O}/incidents/`, need: INC_READ, expect: 200 },
  { route: `GET ${I}/`, need: INC_READ, expect: 200 },
  { route: `GET ${I}/timeline/`, need: INC_READ, expect: 200 },
  { route: `GET ${I}/timeline/:entry/`, need: INC_READ, expect: 200 },
  { route: `GET ${O}/incident-settings/`, need: INC_READ, expect: 200 },
  { route: `GET ${I}/triage/`, need: INC_READ, expect: 200 },
  { route: `GET ${I}/mitigations/`, need: INC_READ, expect: 200 },
  { route: `GET ${I}/verification/`, need: INC_READ, expect: 200 },
  { route: `GET ${I}/updates/`, need: INC_READ, expect: 200 },
  { route: `GET ${I}/updates/draft/`, need: INC_READ, expect: 200 },
  { route: `GET ${P}/mitigation-hook/`, need: HOOK_READ, expect: 200 },
  { route: `GET ${I}/postmortem/`, need: INC_READ, expect: 200 },
  { route: `GET ${I}/postmortem.md`, need: INC_READ, expect: 200 },
  { route: `GET ${I}/postmortem/chart.svg`, need: INC_READ, expect: 200 },
  { route: `GET ${I}/action-items/`, need: INC_READ, expect: 200 },
  { route: `GET ${O}/action-items/`, need: INC_READ, expect: 200 },
  { route: `GET ${O}/action-items/:id/`, need: INC_READ, expect: 200 },
  { route: `GET ${I}/similar/`, need: INC_READ, expect: 200 },
  { route: `GET ${I}/runbooks/`, need: INC_READ, expect: 200 },
  { route: `GET ${O}/incident-metrics/`, need: INC_READ, expect: 200 },
  { route: `GET ${O}/runbooks/`, need: RUNBOOK_READ, expect: 200 },
  { route: `GET ${O}/runbooks/:id/`, need: RUNBOOK_READ, expect: 200 },
  { route: `GET ${P}/diagnostics/`, need: DIAGNOSTICS, expect: 200 },
  { route: `GET ${P}/alert-rules/`, need: ALERT_READ, expect: 200 },
  { route: `GET ${P}/alert-rules/:rule/`, need: ALERT_READ, expect: 200 },
  { route: `GET ${P}/alert-rules/:rule/firings/`, need: ALERT_READ, expect: 200 },
  { route: `GET ${O}/alert-firings/`, need: ALERT_READ, expect: 200 },
  { route: `GET ${O}/notification-targets/`, need: NOTIFY_READ, expect: 200 },
  { route: `GET ${O}/notification-targets/:id/`, need: NOTIFY_READ, expect: 200 },
  { route: `GET ${O}/notification-deliveries/`, need: DELIVERY_READ, expect: 200 },
  { route: `GET ${O}/notification-deliveries/:id/`, need: DELIVERY_READ, expect: 200 },
  { route: `GET ${O}/escalation-policies/`, need: NOTIFY_READ, expect: 200 },
  { route: `GET ${O}/escalation-policies/:severity/`, need: NOTIFY_READ, expect: 200 },

  // Writes, in an order the incident allows.
  { route: `POST ${O}/incidents/`, need: INC_WRITE, expect: 201, body: () => ({ title: 'Matrix' }) },
  {
    route: `PUT ${I}/`,
    need: INC_WRITE,
    expect: 200,
    body: () => ({ ticketUrl: 'https://tickets.example.com/OPS-1' }),
  },
  { route: `POST ${I}/acknowledge/`, need: INC_WRITE, expect: 200, body: () => ({}) },
  { route: `PUT ${I}/roles/:role/`, need: INC_WRITE, expect: 200, body: (d) => ({ user: d.owner.email }) },
  { route: `POST ${I}/issues/`, need: INC_WRITE, expect: 200, body: (d) => ({ issues: [d.spareIssueId] }) },
  { route: `POST ${I}/timeline/`, need: INC_WRITE, expect: 201, body: () => ({ body: 'matrix note' }) },
  { route: `PUT ${I}/timeline/:entry/`, need: INC_WRITE, expect: 200, body: () => ({ starred: true }) },
  {
    route: `PUT ${O}/incident-settings/`,
    need: SETTINGS_WRITE,
    expect: 200,
    body: () => ({ holdMinutes: 10 }),
  },
  {
    route: `POST ${I}/mitigations/`,
    need: INC_WRITE,
    expect: 201,
    body: () => ({ type: 'other', description: 'matrix', runHooks: false }),
  },
  { route: `POST ${I}/verify/`, need: INC_WRITE, expect: 200, body: () => ({}) },
  {
    route: `POST ${I}/page/`,
    need: INC_WRITE,
    expect: 201,
    body: (d) => ({ message: 'Matrix page', targets: [d.webhookId] }),
  },
  {
    route: `POST ${I}/updates/`,
    need: INC_WRITE,
    expect: 201,
    body: () => ({ impact: 'Checkout for some users', message: 'Investigating' }),
  },
  {
    route: `PUT ${P}/mitigation-hook/`,
    need: HOOK_WRITE,
    expect: 200,
    body: () => ({ url: 'http://127.0.0.1:9/hook', secret: HOOK_SECRET }),
  },
  { route: `POST ${I}/postmortem/`, need: INC_WRITE, expect: 200, body: () => ({}) },
  {
    route: `PUT ${I}/postmortem/`,
    need: INC_WRITE,
    expect: 200,
    body: () => ({ summary: 'Matrix summary' }),
  },
  { route: `POST ${I}/action-items/`, need: INC_WRITE, expect: 201, body: () => ({ title: 'Matrix item' }) },
  { route: `POST ${O}/action-items/`, need: INC_WRITE, expect: 201, body: () => ({ title: 'Org item' }) },
  {
    route: `PUT ${O}/action-items/:id/`,
    need: INC_WRITE,
    expect: 200,
    body: () => ({ status: 'in_progress' }),
  },
  {
    route: `POST ${O}/runbooks/`,
    need: RUNBOOK_WRITE,
    expect: 201,
    body: (d) => ({ title: 'Matrix runbook', body: '# Steps\n', projects: [d.project] }),
  },
  { route: `PUT ${O}/runbooks/:id/`, need: RUNBOOK_WRITE, expect: 200, body: () => ({ title: 'Renamed' }) },
  {
    route: `POST ${P}/alert-rules/`,
    need: ALERT_WRITE,
    expect: 201,
    body: () => ({ name: 'Matrix rule', detector: 'new_issue' }),
  },
  { route: `PUT ${P}/alert-rules/:rule/`, need: ALERT_WRITE, expect: 200, body: () => ({ name: 'Renamed' }) },
  {
    route: `POST ${O}/notification-targets/`,
    need: NOTIFY_WRITE,
    expect: 201,
    body: () => ({ kind: 'webhook', name: 'matrix', url: 'http://127.0.0.1:9/matrix' }),
  },
  {
    route: `PUT ${O}/notification-targets/:id/`,
    need: NOTIFY_WRITE,
    expect: 200,
    body: () => ({ name: 'ops-renamed' }),
  },
  { route: `POST ${O}/notification-targets/:id/test/`, need: NOTIFY_WRITE, expect: 201, body: () => ({}) },
  {
    route: `PUT ${O}/escalation-policies/:severity/`,
    need: NOTIFY_WRITE,
    expect: 200,
    body: (d) => ({ levels: [{ targets: [d.webhookId] }] }),
  },

  // Deletes, of spares where the fixture is still needed.
  { route: `DELETE ${I}/roles/:role/`, need: INC_WRITE, expect: 200 },
  {
    route: `DELETE ${I}/issues/:issue/`,
    need: INC_WRITE,
    expect: 200,
    spare: (d) => ({ issue: d.spareIssueId }),
  },
  {
    route: `DELETE ${O}/action-items/:id/`,
    need: INC_WRITE,
    expect: 204,
    spare: (d) => ({ 'action-items/:id': d.spareActionItemId }),
  },
  {
    route: `DELETE ${O}/runbooks/:id/`,
    need: RUNBOOK_WRITE,
    expect: 204,
    spare: (d) => ({ 'runbooks/:id': d.spareRunbookId }),
  },
  {
    route: `DELETE ${P}/alert-rules/:rule/`,
    need: ALERT_WRITE,
    expect: 204,
    spare: (d) => ({ rule: d.spareRuleId }),
  },
  {
    route: `DELETE ${O}/notification-targets/:id/`,
    need: NOTIFY_WRITE,
    expect: 204,
    spare: (d) => ({ 'notification-targets/:id': d.spareTargetId }),
  },
  {
    route: `DELETE ${O}/escalation-policies/:severity/`,
    need: NOTIFY_WRITE,
    expect: 204,
    spare: () => ({ severity: 'P3' }),
  },
  { route: `DELETE ${P}/mitigation-hook/`, need: HOOK_WRITE, expect: 204 },

  // The end of the incident.
  { route: `POST ${I}/resolve/`, need: INC_WRITE, expect: 200, body: () => ({ override: 'matrix test' }) },
  { route: `POST ${I}/close/`, need: INC_WRITE, expect: 200, body: () => ({}) },
];

// ── HTTP, with every answer kept for the secret scan ─────────────────────────────────────────

interface Answer {
  status: number;
  type: string;
  text: string;
  body: any;
}

const answers: { what: string; text: string }[] = [];

async function call(
  base: string,
  token: string | null,
  method: string,
  path: string,
  body?: unknown,
): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (token !== null) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(`${base}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const type = response.headers.get('content-type') ?? '';
  answers.push({ what: `${method} ${path}`, text: `${[...response.headers].join('\n')}\n${text}` });
  let parsed: unknown = null;
  if (type.includes('json') && text) parsed = JSON.parse(text);
  return { status: response.status, type, text, body: parsed };
}

const methodOf = (route: string) => route.split(' ')[0];

/** CommonMark fences: a run of 3+ backticks opens, a line of at least as many closes (or the end). */
function splitFences(markdown: string): { prose: string; fenced: string[] } {
  const prose: string[] = [];
  const fenced: string[] = [];
  let open: { fence: number; lines: string[] } | null = null;
  for (const line of markdown.split('\n')) {
    if (open) {
      const close = /^ {0,3}(`{3,})\s*$/.exec(line);
      if (close && close[1].length >= open.fence) {
        fenced.push(open.lines.join('\n'));
        open = null;
      } else open.lines.push(line);
      continue;
    }
    const start = /^ {0,3}(`{3,})[^`]*$/.exec(line);
    if (start) open = { fence: start[1].length, lines: [] };
    else prose.push(line);
  }
  if (open) fenced.push(open.lines.join('\n'));
  return { prose: prose.join('\n'), fenced };
}
const show = (a: Answer) => `${a.status} ${a.text.slice(0, 300)}`;

// ── the test ─────────────────────────────────────────────────────────────────────────────────

describe('scope and organisation matrix of the incident, alert and notification API', () => {
  let t: TestServer;
  let receiver: HttpReceiver;
  const clock = manualClock(Date.now());
  let a: OrgData;
  let b: OrgData;
  const tokens = new Map<string, string>();
  /** Tokens that must never appear in an answer either. */
  const minted: string[] = [];

  const tokenFor = async (data: OrgData, scopes: Scope[]): Promise<string> => {
    const key = `${data.org} ${scopes.join(',')}`;
    let token = tokens.get(key);
    if (!token) {
      token = await mintToken(t, { org: data.org, scopes });
      tokens.set(key, token);
      minted.push(token);
    }
    return token;
  };

  async function orgWithData(slug: string): Promise<OrgData> {
    const s = await t.setup(slug, 'web');
    const creds = await t.setup(slug, 'creds');
    minted.push(s.token, creds.token);
    const api = (method: string, path: string, body?: unknown) => call(t.url, s.token, method, path, body);
    const ok = async (answer: Promise<Answer>, status = 200) => {
      const got = await answer;
      assert.equal(got.status, status, show(got));
      return got.body;
    };
    const owner = await memberWithToken(t, s.org, 'Owner', 'owner');
    minted.push(owner.token);
    const o = `/api/0/organizations/${s.org}`;
    const p = `/api/0/projects/${s.org}/${s.project}`;

    await sendEvent(t, s, {
      message: XSS_TITLE,
      level: 'error',
      timestamp: (clock.now() - 3 * MINUTE) / 1000,
    });
    await sendEvent(t, s, {
      message: 'Spare issue',
      level: 'error',
      timestamp: (clock.now() - 2 * MINUTE) / 1000,
    });
    const issues = await ok(api('GET', `${p}/issues/`));
    const issue = issues.find((i: any) => i.title.includes('<script>'));
    const spare = issues.find((i: any) => i.title === 'Spare issue');
    assert.ok(issue && spare, JSON.stringify(issues));

    // Hooks and targets first, so the mitigation calls a hook and the rule notifies a target.
    await ok(api('PUT', `${p}/mitigation-hook/`, { url: `${receiver.url}/hook`, secret: HOOK_SECRET }));
    const credsHook = new URL(`${receiver.url}/creds-hook`);
    credsHook.username = 'hookuser';
    credsHook.password = HOOK_URL_PASSWORD;
    const credsPath = `/api/0/projects/${s.org}/${creds.project}/mitigation-hook/`;
    const refused = await api('PUT', credsPath, { url: String(credsHook), secret: HOOK_SECRET });
    assert.equal(refused.status, 400, show(refused));
    assert.match(refused.body.detail, /^invalid url: no user or password in the URL/);
    await ok(api('PUT', credsPath, { url: `${receiver.url}/creds-hook`, secret: HOOK_SECRET }));
    const target = (body: Record<string, unknown>) =>
      ok(api('POST', `${o}/notification-targets/`, body), 201);
    const webhook = await target({
      kind: 'webhook',
      name: 'ops',
      url: `${receiver.url}/notify`,
      secret: WEBHOOK_SECRET,
    });
    await target({ kind: 'slack', name: 'chat', url: `${receiver.url}/services/T0/B0/${SLACK_TOKEN}` });
    await target({
      kind: 'email',
      name: 'pager',
      host: '127.0.0.1',
      port: 9,
      tls: 'none',
      username: 'firebreak',
      password: SMTP_PASSWORD,
      from: 'firebreak@example.com',
      to: ['oncall@example.com'],
    });
    const spareTarget = await target({ kind: 'webhook', name: 'spare', url: `${receiver.url}/spare` });
    const delivery = await ok(api('POST', `${o}/notification-targets/${webhook.id}/test/`, {}), 201);
    await ok(api('PUT', `${o}/escalation-policies/P2/`, { levels: [{ targets: [webhook.id] }] }));
    await ok(api('PUT', `${o}/escalation-policies/P3/`, { levels: [{ targets: [webhook.id] }] }));
    const rule = await ok(
      api('POST', `${p}/alert-rules/`, {
        name: 'New issues',
        detector: 'new_issue',
        actions: [{ type: 'notify', targets: [webhook.id] }],
      }),
      201,
    );
    const spareRule = await ok(
      api('POST', `${p}/alert-rules/`, { name: 'Spare', detector: 'regression' }),
      201,
    );
    const runbook = await ok(
      api('POST', `${o}/runbooks/`, { title: 'Checkout', body: '# Checkout\n', projects: [s.project] }),
      201,
    );
    const spareRunbook = await ok(
      api('POST', `${o}/runbooks/`, { title: 'Spare', body: '# Spare\n', tags: ['service:api'] }),
      201,
    );

    const incident = await ok(
      api('POST', `${o}/incidents/`, { issues: [issue.id], severity: 'P2', services: [creds.project] }),
      201,
    );
    const i = `${o}/incidents/${incident.ref}`;
    const note = await ok(api('POST', `${i}/timeline/`, { body: 'first note' }), 201);
    clock.advance(MINUTE);
    await ok(api('POST', `${i}/mitigations/`, { type: 'feature_flag', description: 'checkout off' }), 201);
    await ok(api('POST', `${i}/postmortem/`, {}), 201);
    const item = await ok(api('POST', `${i}/action-items/`, { title: 'Test the empty cart' }), 201);
    const spareItem = await ok(api('POST', `${o}/action-items/`, { title: 'Spare item' }), 201);
    clock.advance(MINUTE);

    return {
      org: s.org,
      project: s.project,
      projectId: String(s.projectId),
      dsnKey: new URL(s.dsn).username,
      token: s.token,
      owner: { id: String(owner.user.id), email: owner.user.email, token: owner.token },
      ref: incident.ref,
      issueId: issue.id,
      spareIssueId: spare.id,
      entryId: note.id,
      runbookId: runbook.id,
      spareRunbookId: spareRunbook.id,
      actionItemId: item.id,
      spareActionItemId: spareItem.id,
      ruleId: rule.id,
      spareRuleId: spareRule.id,
      webhookId: webhook.id,
      spareTargetId: spareTarget.id,
      deliveryId: delivery.id,
    };
  }

  before(async () => {
    receiver = await startHttpReceiver();
    t = await startTestServer({
      clock,
      settings: {
        digestWorkers: 0,
        incidentTickSeconds: 0,
        detectorTickSeconds: 0,
        notifyTickSeconds: 0,
        escalationTickSeconds: 0,
      },
    });
    // B first, so A's ids are not B's (a foreign id must not happen to name B's own resource).
    b = await orgWithData(`matrix-b-${process.pid}`);
    a = await orgWithData(`matrix-a-${process.pid}`);
  });
  after(async () => {
    await t?.close();
    await receiver?.close();
  });

  test('every route the files register has a matrix row, and every row a route', async () => {
    const app = Fastify();
    const registered: string[] = [];
    app.addHook('onRoute', (route) => {
      for (const method of [route.method].flat()) {
        if (method !== 'HEAD') registered.push(`${method} ${route.url}`);
      }
    });
    for (const plugin of Object.values(ROUTE_FILES)) await app.register(plugin, { ctx: t.server.ctx });
    await app.ready();
    await app.close();
    const rows = ROWS.map((r) => r.route);
    assert.equal(new Set(rows).size, rows.length, 'a route has two rows');
    assert.deepEqual(
      registered.filter((r) => !rows.includes(r)),
      [],
      'routes without a matrix row: add one to ROWS',
    );
    assert.deepEqual(
      rows.filter((r) => !registered.includes(r)),
      [],
      'rows for routes no file registers',
    );
    assert.ok(registered.length >= 60, `only ${registered.length} routes found`);
  });

  test("post-mortem chart and Markdown escape an issue title's HTML", async () => {
    const i = `/api/0/organizations/${a.org}/incidents/${a.ref}`;
    const svg = await call(t.url, a.token, 'GET', `${i}/postmortem/chart.svg`);
    assert.equal(svg.status, 200, show(svg));
    assert.match(svg.type, /^image\/svg\+xml/);
    const legend = /<text[^>]*>([^<]*&lt;script&gt;[^<]*)<\/text>/.exec(svg.text);
    assert.ok(legend, `the title is in the chart's legend, escaped:\n${svg.text}`);
    assert.doesNotMatch(svg.text, /<script|<img|onerror=[^&]/i);

    const markdowns: [string, string][] = [];
    const md = await call(t.url, a.token, 'GET', `${i}/postmortem.md`);
    assert.equal(md.status, 200, show(md));
    markdowns.push(['postmortem.md', md.text]);
    const asMarkdown = await call(t.url, a.token, 'GET', `${i}/postmortem/?format=markdown&chart=embed`);
    assert.equal(asMarkdown.status, 200, show(asMarkdown));
    markdowns.push(['?format=markdown', asMarkdown.text]);
    const included = await call(t.url, a.token, 'GET', `${i}/postmortem/?include=markdown`);
    assert.equal(included.status, 200, show(included));
    markdowns.push(['?include=markdown', included.body.markdown]);
    for (const [what, text] of markdowns) {
      assert.match(
        text,
        /&lt;script&gt;alert\("pm"\)&lt;\/script&gt;/,
        `${what}: the title is there, escaped`,
      );
      // In a fenced block the title is text; the fence must outlast the title's own backticks.
      const { prose, fenced } = splitFences(text);
      assert.ok(
        fenced.some((block) => block.includes('<script>alert("pm")</script> checkout')),
        `${what}: the reconciliation block holds the title, fenced: ${fenced.join('\n---\n')}`,
      );
      assert.doesNotMatch(prose, /<script|<img|<\/script/i, `${what}: raw HTML from an issue title`);
      assert.doesNotMatch(prose, /\[pwn\]\(/, `${what}: a Markdown link from an issue title`);
      // The chart embedded as a data: URI is escaped too.
      for (const [, data] of text.matchAll(/data:image\/svg\+xml;base64,([A-Za-z0-9+/=]+)/g)) {
        assert.doesNotMatch(Buffer.from(data, 'base64').toString('utf8'), /<script|<img/i, what);
      }
    }
  });

  test('no token, a foreign token, an unrelated scope or a read scope for a write: 401, 404, 403, nothing changes', async () => {
    const before = await snapshot(a);
    // A user of B (owner there) with every scope, and a member of A whose role caps the same token.
    const bUser = await memberWithToken(t, b.org, 'Bea', 'owner');
    const bUserToken = await mintToken(t, { org: b.org, scopes: [...ALL_SCOPES], userId: bUser.user.id });
    const aMember = await memberWithToken(t, a.org, 'Max', 'member');
    const aMemberToken = await mintToken(t, { org: a.org, scopes: [...ALL_SCOPES], userId: aMember.user.id });
    minted.push(bUser.token, bUserToken, aMember.token, aMemberToken);
    const failures: string[] = [];
    const expectStatus = (what: string, got: Answer, want: number) => {
      if (got.status !== want) failures.push(`${what}: want ${want}, got ${show(got)}`);
    };

    for (const row of ROWS) {
      const method = methodOf(row.route);
      const path = fill(row.route, valuesOf(a));
      const body = row.body?.(a);
      const send = (token: string | null, to = path) => call(t.url, token, method, to, body);

      expectStatus(`${row.route} without a token`, await send(null), 401);
      expectStatus(`${row.route} with an unknown token`, await send(`sntryu_${'0'.repeat(64)}`), 401);
      expectStatus(`${row.route} with a DSN key`, await send(a.dsnKey), 401);
      expectStatus(`${row.route} with B's token`, await send(b.token), 404);
      expectStatus(`${row.route} with a B user's token`, await send(bUserToken), 404);
      const unrelated = unrelatedScope(row.need);
      expectStatus(`${row.route} with only ${unrelated}`, await send(await tokenFor(a, [unrelated])), 403);
      for (const scope of row.need.readOnly ?? []) {
        expectStatus(`${row.route} with only ${scope}`, await send(await tokenFor(a, [scope])), 403);
      }
      if (!row.need.anyOf.some((s) => ROLE_SCOPES.member.has(s))) {
        expectStatus(`${row.route} as a member with every scope`, await send(aMemberToken), 403);
      }

      // B's own containers with A's resources in them answer exactly like missing ones.
      const leaves = leavesOf(row.route);
      const variants: { what: string; foreign: Values; ids: string[] }[] = leaves.map((leaf) => ({
        what: `A's ${leaf} under B`,
        foreign: { [leaf]: valuesOf(a)[leaf] },
        ids: [valuesOf(a)[leaf]],
      }));
      if (row.route.includes(':project')) {
        variants.push({
          what: "A's project id under B",
          foreign: { project: a.projectId },
          ids: [a.projectId],
        });
      }
      for (const { what, foreign, ids } of variants) {
        const missing = Object.fromEntries(Object.keys(foreign).map((key) => [key, MISSING]));
        const send = (values: Values) =>
          call(t.url, b.token, method, fill(row.route, { ...valuesOf(b), ...values }), row.body?.(b));
        const theirs = await send(foreign);
        const none = await send(missing);
        const detail = (answer: Answer, replace: string[]) =>
          replace.reduce(
            (text, id) => text.replaceAll(id, '{id}'),
            String(answer.body?.detail ?? answer.text),
          );
        if (
          theirs.status !== none.status ||
          theirs.status < 400 ||
          detail(theirs, ids) !== detail(none, [MISSING])
        ) {
          failures.push(`${row.route}, ${what}: ${show(theirs)} — a missing one: ${show(none)}`);
        }
      }
    }
    // The member's refusals above are its role's: the same token reads what a member may.
    assert.equal(
      (await call(t.url, aMemberToken, 'GET', `/api/0/organizations/${a.org}/incidents/`)).status,
      200,
    );
    assert.deepEqual(failures, []);
    assert.deepEqual(await snapshot(a), before, 'a refused request changed something');
  });

  test("B's token cannot reach A's resources through a body or a query either", async () => {
    const o = `/api/0/organizations/${b.org}`;
    const i = `${o}/incidents/${b.ref}`;
    const p = `/api/0/projects/${b.org}/${b.project}`;
    // [method, path, body naming the reference, A's reference, a missing one]
    const bodies: [string, string, (ref: string) => unknown, string, string][] = [
      ['POST', `${o}/incidents/`, (r) => ({ issues: [r] }), a.issueId, MISSING],
      ['POST', `${i}/issues/`, (r) => ({ issues: [r] }), a.issueId, MISSING],
      ['PUT', `${i}/roles/scribe/`, (r) => ({ user: r }), a.owner.email, 'nobody-matrix@example.com'],
      ['PUT', `${i}/roles/scribe/`, (r) => ({ user: r }), a.owner.id, MISSING],
      [
        'POST',
        `${i}/mitigations/`,
        (r) => ({ type: 'other', project: r, runHooks: false }),
        a.projectId,
        MISSING,
      ],
      ['POST', `${o}/action-items/`, (r) => ({ title: 'x', issue: r }), a.issueId, MISSING],
      ['POST', `${o}/action-items/`, (r) => ({ title: 'x', owner: r }), a.owner.id, MISSING],
      ['PUT', `${o}/action-items/${b.actionItemId}/`, (r) => ({ issue: r }), a.issueId, MISSING],
      ['POST', `${o}/runbooks/`, (r) => ({ title: 'x', body: 'x', projects: [r] }), a.projectId, MISSING],
      ['PUT', `${o}/runbooks/${b.runbookId}/`, (r) => ({ projects: [r] }), a.projectId, MISSING],
      [
        'POST',
        `${p}/alert-rules/`,
        (r) => ({ name: 'x', detector: 'new_issue', actions: [{ type: 'notify', targets: [r] }] }),
        a.webhookId,
        MISSING,
      ],
      ['PUT', `${o}/escalation-policies/P2/`, (r) => ({ levels: [{ targets: [r] }] }), a.webhookId, MISSING],
      [
        'PUT',
        `${o}/escalation-policies/P2/`,
        (r) => ({ levels: [{ targets: [b.webhookId] }], reminderTargets: [r] }),
        a.webhookId,
        MISSING,
      ],
    ];
    const queries: [string, string][] = [
      [`${o}/alert-firings/?project=`, a.projectId],
      [`${o}/runbooks/?project=`, a.projectId],
      [`${o}/notification-deliveries/?target=`, a.webhookId],
      [`${o}/action-items/?owner=`, a.owner.id],
      [`${o}/action-items/?owner=`, a.owner.email],
    ];
    const failures: string[] = [];
    const text = (answer: Answer, id: string) =>
      answer.text.replaceAll(encodeURIComponent(id), '{id}').replaceAll(id, '{id}');
    for (const [method, path, body, theirs, missing] of bodies) {
      const foreign = await call(t.url, b.token, method, path, body(theirs));
      const none = await call(t.url, b.token, method, path, body(missing));
      if (
        foreign.status !== none.status ||
        foreign.status < 400 ||
        text(foreign, theirs) !== text(none, missing)
      ) {
        failures.push(`${method} ${path} naming ${theirs}: ${show(foreign)} — a missing one: ${show(none)}`);
      }
    }
    for (const [path, theirs] of queries) {
      const missing = theirs.includes('@') ? 'nobody-matrix@example.com' : MISSING;
      const foreign = await call(t.url, b.token, 'GET', `${path}${encodeURIComponent(theirs)}`);
      const none = await call(t.url, b.token, 'GET', `${path}${encodeURIComponent(missing)}`);
      if (foreign.status !== none.status || text(foreign, theirs) !== text(none, missing)) {
        failures.push(`GET ${path}${theirs}: ${show(foreign)} — a missing one: ${show(none)}`);
      }
    }
    assert.deepEqual(failures, []);
  });

  test('incident links are http(s) only: no javascript: or data: URLs to click', async () => {
    const o = `/api/0/organizations/${b.org}`;
    for (const url of ['javascript:alert(document.cookie)', 'data:text/html,<script>alert(1)</script>']) {
      for (const field of ['ticketUrl', 'channelUrl']) {
        const declared = await call(t.url, b.token, 'POST', `${o}/incidents/`, { title: 'x', [field]: url });
        assert.equal(declared.status, 400, show(declared));
        assert.equal(declared.body.detail, `invalid ${field}: must be an http:// or https:// URL`);
        const changed = await call(t.url, b.token, 'PUT', `${o}/incidents/${b.ref}/`, { [field]: url });
        assert.equal(changed.status, 400, show(changed));
      }
    }
  });

  test("the route's own scope is enough", async () => {
    const failures: string[] = [];
    for (const row of ROWS) {
      const scope = row.need.anyOf[0];
      const path = fill(row.route, { ...valuesOf(a), ...row.spare?.(a) });
      const token = await tokenFor(a, [scope, ...(row.need.with ?? [])]);
      const got = await call(t.url, token, methodOf(row.route), path, row.body?.(a));
      if (got.status !== row.expect)
        failures.push(`${row.route} with ${scope}: want ${row.expect}, got ${show(got)}`);
    }
    assert.deepEqual(failures, []);
  });

  test('bad input is a 4xx on every route, never a 500', async () => {
    const failures: string[] = [];
    const junkValues: unknown[] = ['not a url', -1, 1e308, {}, [], null, true, 'x'.repeat(20_000)];
    // Sent as they are (already URL-encoded); `..` is left out: clients resolve it before sending.
    const junkParams = [
      'abc',
      '-1',
      '0',
      '99999999999999999999',
      '%00',
      '%2F',
      '%ZZ',
      'INC-',
      '1.5',
      '%F0%9F%92%A5',
    ];
    const junkQuery =
      'per_page=0&cursor=%00&since=-1d&limit=-5&format=html&chart=x&include=x&status=nope&kind=x' +
      '&overdue=2&target=abc&project=%2e%2e&tag=x&audience=x&eta=&owner=';
    const expect4xx = (what: string, got: Answer) => {
      if (got.status < 400 || got.status >= 500) failures.push(`${what}: ${show(got)}`);
    };
    for (const row of ROWS) {
      const method = methodOf(row.route);
      const path = fill(row.route, valuesOf(b));
      const send = (to: string, body?: unknown) => call(t.url, b.token, method, to, body);
      if (method === 'GET') {
        const got = await send(`${path}?${junkQuery}`);
        if (got.status >= 500) failures.push(`${row.route}?${junkQuery}: ${show(got)}`);
      } else if (method !== 'DELETE') {
        for (const body of [[], 'text', 42, { unexpected: true }]) {
          const got = await send(path, body);
          if (got.status >= 500) failures.push(`${row.route} with ${JSON.stringify(body)}: ${show(got)}`);
        }
        const valid = (row.body?.(b) ?? {}) as Record<string, unknown>;
        for (const key of Object.keys(valid)) {
          for (const value of junkValues) {
            const got = await send(path, { ...valid, [key]: value });
            if (got.status >= 500)
              failures.push(`${row.route} with ${key}=${String(value).slice(0, 20)}: ${show(got)}`);
          }
        }
      }
      const params = row.route
        .split(' ')[1]
        .split('/')
        .filter((segment) => segment.startsWith(':') && segment !== ':org');
      for (const param of params) {
        const segments = row.route.split(' ')[1].split('/');
        const key = param === ':id' ? `${segments[segments.indexOf(param) - 1]}/:id` : param.slice(1);
        for (const junk of junkParams) {
          const to = fill(row.route, { ...valuesOf(b), [key]: 'JUNK' }).replace('/JUNK', `/${junk}`);
          expect4xx(`${row.route} with ${key}=${junk}`, await send(to, row.body?.(b)));
        }
      }
    }
    assert.deepEqual(failures, []);
  });

  test('no answer carries a secret or a token', async () => {
    // Read everything once more with every scope, then look through every answer of the run.
    const owner = await tokenFor(a, [...ALL_SCOPES]);
    for (const row of ROWS.filter((r) => methodOf(r.route) === 'GET')) {
      await call(t.url, owner, 'GET', fill(row.route, valuesOf(a)));
    }
    await call(t.url, owner, 'GET', `/api/0/organizations/${a.org}/audit-logs/`);
    await call(t.url, owner, 'GET', `/api/0/organizations/${a.org}/incidents/${a.ref}/timeline/`);
    const secrets = [WEBHOOK_SECRET, SLACK_TOKEN, SMTP_PASSWORD, HOOK_SECRET, HOOK_URL_PASSWORD, ...minted];
    const leaks = answers.flatMap(({ what, text }) =>
      secrets.filter((secret) => text.includes(secret)).map((secret) => `${what} shows ${secret}`),
    );
    assert.ok(answers.length > 500, `only ${answers.length} answers`);
    assert.deepEqual(leaks, []);
  });

  test('a notification webhook URL with a password is refused and shows it nowhere', async () => {
    const o = `/api/0/organizations/${a.org}`;
    const password = 'target-url-pa55';
    const owner = await tokenFor(a, [...ALL_SCOPES]);
    const made = await call(t.url, owner, 'POST', `${o}/notification-targets/`, {
      kind: 'webhook',
      name: 'with-password',
      url: `${receiver.url.replace('//', `//ops:${password}@`)}/notify`,
    });
    assert.equal(made.status, 400, made.text);
    assert.ok(!made.text.includes(password), 'the refusal does not repeat the password');
    const listed = await call(t.url, owner, 'GET', `${o}/notification-targets/`);
    assert.ok(!listed.text.includes(password));
  });

  /** What A's data looks like to its owner: compared before and after the refused requests. */
  async function snapshot(data: OrgData) {
    const o = `/api/0/organizations/${data.org}`;
    const i = `${o}/incidents/${data.ref}`;
    const p = `/api/0/projects/${data.org}/${data.project}`;
    const paths = [
      `${o}/incidents/`,
      `${i}/`,
      `${i}/timeline/`,
      `${i}/mitigations/`,
      `${i}/updates/`,
      `${i}/postmortem/`,
      `${i}/action-items/`,
      `${o}/action-items/`,
      `${o}/incident-settings/`,
      `${o}/runbooks/`,
      `${p}/alert-rules/`,
      `${p}/mitigation-hook/`,
      `${o}/notification-targets/`,
      `${o}/notification-deliveries/`,
      `${o}/escalation-policies/`,
      `${o}/audit-logs/`,
    ];
    const out: Record<string, unknown> = {};
    for (const path of paths) {
      const got = await call(t.url, data.token, 'GET', path);
      out[path] = { status: got.status, body: got.body };
    }
    return out;
  }
});
