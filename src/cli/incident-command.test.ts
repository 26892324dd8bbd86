import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { incidentCommand } from './incident.ts';
import { runCli } from './main.ts';
import type { CliIo } from './output.ts';

/**
 * The command in-process against a small real HTTP server that answers as the incident API does
 * (shapes from src/api/serialize/incident.ts): what is printed, and the exit code for each outcome.
 */

const INCIDENT = {
  id: '31',
  ref: 'INC-7',
  number: 7,
  title: 'Checkout \u001b[2Jfailing',
  severity: 'P1',
  severityDetails: {
    name: 'P1',
    description: 'Service down, all users affected',
    responseMinutes: 0,
    updateCadenceMinutes: 15,
    escalation: 'VP + on-call chain',
  },
  status: 'investigating',
  version: 4,
  services: ['checkout', 'api'],
  ticketUrl: 'https://linear.app/acme/INC-7',
  channelUrl: null,
  rootCause: null,
  detectionSource: 'alert',
  resolutionOverride: null,
  milestones: {
    firstEvent: '2025-01-31T14:00:00.000Z',
    detected: '2025-01-31T14:04:00.000Z',
    declared: '2025-01-31T14:05:00.000Z',
    acknowledged: '2025-01-31T14:06:30.000Z',
    mitigated: null,
    resolved: null,
  },
  durations: { timeToDetect: 240, timeToAcknowledge: 150, timeToMitigate: null, timeToResolve: null },
  response: { dueAt: '2025-01-31T14:04:00.000Z', overdue: false },
  update: { lastAt: null, nextDue: '2025-01-31T14:20:00.000Z', overdue: true },
  roles: [
    { role: 'commander', name: 'Incident Commander', user: { id: '1', email: 'ana@acme.test', name: 'Ana' } },
    { role: 'scribe', name: 'Scribe', user: null },
  ],
  issues: [
    {
      id: '12',
      shortId: 'WEB-12',
      title: 'TypeError: cart is undefined',
      count: '120',
      userCount: 30,
      project: { id: '1', slug: 'web' },
    },
  ],
  createdBy: 'user:1',
  dateCreated: '2025-01-31T14:05:00.000Z',
  dateUpdated: '2025-01-31T14:06:30.000Z',
  futureField: 'still shown',
};

const ORG = '/api/0/organizations/acme/incidents';
const ANSWERS: Record<string, [number, unknown]> = {
  [`GET ${ORG}/`]: [200, [INCIDENT]],
  [`GET ${ORG}/7/`]: [200, INCIDENT],
  [`GET ${ORG}/8/`]: [404, { detail: 'incident not found' }],
  [`PUT ${ORG}/7/`]: [409, { detail: 'The incident is mitigating, not identified.' }],
  [`POST ${ORG}/7/resolve/`]: [400, { detail: 'resolving needs a root cause' }],
  [`GET ${ORG}/7/timeline/`]: [
    200,
    [
      {
        id: '40',
        kind: 'declared',
        body: 'Declared',
        actorName: 'Ana',
        occurredAt: '2025-01-31T14:05:00.000Z',
        starred: false,
        edited: false,
      },
      {
        id: '42',
        kind: 'hypothesis',
        body: 'pool exhausted\nafter deploy',
        actorName: 'Ana',
        occurredAt: '2025-01-31T14:07:00.000Z',
        starred: true,
        edited: true,
      },
    ],
  ],
};

interface Run {
  code: number;
  out: string;
  err: string;
}

function capture(): CliIo & { lines: { out: string[]; err: string[] } } {
  const lines = { out: [] as string[], err: [] as string[] };
  return { lines, out: (t) => lines.out.push(t), err: (t) => lines.err.push(t) };
}

describe('firebreak incident against a server', () => {
  let baseUrl = '';
  const server = createServer((req, res) => {
    const auth = req.headers.authorization;
    const [status, body] =
      auth !== 'Bearer sntryu_good'
        ? [401, { detail: 'Invalid token' }]
        : (ANSWERS[`${req.method} ${req.url?.split('?')[0]}`] ?? [
            404,
            { detail: 'The requested resource does not exist' },
          ]);
    const headers: Record<string, string> = { 'Content-Type': 'application/json' };
    if (req.url?.startsWith(`${ORG}/?`) || req.url === `${ORG}/`) {
      headers.Link =
        '<http://x/?cursor=0:0:1>; rel="previous"; results="false"; cursor="0:0:1", ' +
        '<http://x/?cursor=0:1:0>; rel="next"; results="true"; cursor="0:1:0"';
    }
    res.writeHead(status, headers).end(JSON.stringify(body));
  });
  before(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => server.close());

  async function run(args: string[], token = 'sntryu_good'): Promise<Run> {
    const io = capture();
    const code = await incidentCommand(args, io, {
      FIREBREAK_URL: baseUrl,
      FIREBREAK_ORG: 'acme',
      FIREBREAK_TOKEN: token,
    });
    return { code, out: io.lines.out.join('\n'), err: io.lines.err.join('\n') };
  }

  test('show: aligned fields, durations, roles, issues, what is overdue; no escape sequences', async () => {
    const { code, out, err } = await run(['show', 'INC-7']);
    assert.equal(err, '');
    assert.equal(code, 0);
    assert.doesNotMatch(out, /\u001b/);
    const lines = out.split('\n');
    assert.equal(lines[0], 'INC-7  Checkout  [2Jfailing');
    assert.ok(lines.includes('status:              investigating  (version 4)'), out);
    assert.match(
      out,
      /severity: +P1 — Service down, all users affected \(respond immediately; updates every 15m; escalate: VP \+ on-call chain\)/,
    );
    assert.match(out, /time to detect: +4m 00s/);
    assert.match(out, /time to acknowledge: +2m 30s/);
    assert.match(out, /time to mitigate: +—/);
    assert.match(out, /roles: +Incident Commander: Ana <ana@acme\.test>\n +Scribe: —/);
    assert.match(out, /issues: +WEB-12 {2}TypeError: cart is undefined {2}\(web\) {2}120 events, 30 users/);
    assert.match(out, /status updates: +last —; next due 2025-01-31T14:20:00\.000Z {2}OVERDUE/);
    assert.match(out, /futureField: +still shown/);
  });

  test('--json prints the API answer unchanged', async () => {
    const { code, out } = await run(['show', '7', '--json']);
    assert.equal(code, 0);
    assert.deepEqual(JSON.parse(out), INCIDENT);
  });

  test('list flags an overdue update; timeline marks starred and edited entries', async () => {
    const list = await run(['ls']);
    assert.equal(list.code, 0);
    assert.deepEqual(list.out.split('\n'), [
      'REF    SEV  STATUS         DECLARED                  OVERDUE  TITLE',
      'INC-7  P1   investigating  2025-01-31T14:05:00.000Z  update   Checkout  [2Jfailing',
      '(more: add --cursor 0:1:0)',
    ]);
    const timeline = await run(['timeline', '7', '--starred']);
    assert.equal(timeline.code, 0);
    assert.equal(
      timeline.out,
      '2025-01-31T14:07:00.000Z  #42  hypothesis     ★✎ Ana\n    pool exhausted\n    after deploy',
    );
  });

  test('exit codes: not found 3, conflict 5, refused input 2, bad token 4, no token 4', async () => {
    const missing = await run(['show', '8']);
    assert.equal(missing.code, 3);
    assert.equal(missing.err, `firebreak: incident not found (404 for GET ${ORG}/8/)`);
    const raced = await run(['status', '7', 'mitigating', '--from', 'identified']);
    assert.equal(raced.code, 5);
    assert.equal(raced.err, 'firebreak: The incident is mitigating, not identified.');
    const refused = await run(['resolve', '7']);
    assert.equal(refused.code, 2);
    assert.equal(refused.err, 'firebreak: resolving needs a root cause');
    assert.equal((await run(['show', '7'], 'sntryu_bad')).code, 4);
    const noToken = await run(['show', '7'], '');
    assert.equal(noToken.code, 4);
    assert.match(noToken.err, /set FIREBREAK_TOKEN/);
  });

  test('bad usage: message and the verb’s usage on stderr, exit 2, no request', async () => {
    const bad = await run(['note', '7']);
    assert.equal(bad.code, 2);
    assert.equal(bad.out, '');
    assert.match(
      bad.err,
      /^firebreak incident note: missing the text of the entry\nusage: firebreak incident note REF TEXT…/,
    );
    const unknownOption = await run(['show', '7', '--force']);
    assert.equal(unknownOption.code, 2);
    assert.match(unknownOption.err, /Unknown option '--force'/);
    const unknownVerb = await run(['explode']);
    assert.equal(unknownVerb.code, 2);
    assert.match(unknownVerb.err, /unknown verb "explode"/);
  });

  test('--help: the whole command, or one verb', async () => {
    const all = await run(['--help']);
    assert.equal(all.code, 0);
    assert.match(all.out, /^usage: firebreak incident <verb>/);
    assert.match(all.out, /FIREBREAK_TOKEN/);
    const one = await run(['mitigate', '--help']);
    assert.equal(one.code, 0);
    assert.match(one.out, /^usage: firebreak incident mitigate REF --type rollback\|hotfix/);
  });

  test('runCli dispatches `incident` in-process (token from the process environment)', async () => {
    const saved = process.env.FIREBREAK_TOKEN;
    process.env.FIREBREAK_TOKEN = 'sntryu_good';
    try {
      const io = capture();
      assert.equal(
        await runCli(['incident', 'show', '7', '--url', baseUrl, '--org', 'acme', '--json'], io),
        0,
      );
      assert.equal(JSON.parse(io.lines.out.join('\n')).ref, 'INC-7');
    } finally {
      if (saved === undefined) delete process.env.FIREBREAK_TOKEN;
      else process.env.FIREBREAK_TOKEN = saved;
    }
  });
});

test('a server that is not running: exit 6 with the URL to check', async () => {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await new Promise((resolve) => server.close(resolve));
  const io = capture();
  const code = await incidentCommand(['list'], io, {
    FIREBREAK_URL: url,
    FIREBREAK_ORG: 'acme',
    FIREBREAK_TOKEN: 't',
  });
  assert.equal(code, 6);
  assert.match(io.lines.err.join('\n'), new RegExp(`cannot reach Firebreak at ${url}: connection refused`));
});
