import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ApiRequest } from './api-client.ts';
import { INCIDENT_VERBS, incidentUsage, planIncidentCall } from './incident.ts';

const ENV = { FIREBREAK_TOKEN: 'sntryu_t', FIREBREAK_ORG: 'acme' };
const INC = '/api/0/organizations/acme/incidents/7';

function plan(verb: string, ...args: string[]): ApiRequest {
  return planIncidentCall(verb, args, ENV).request;
}

function usageError(verb: string, args: string[], message: RegExp, env: Record<string, string> = ENV): void {
  assert.throws(
    () => planIncidentCall(verb, args, env),
    (error: Error & { code?: string }) => {
      assert.ok(
        error.code === 'VALIDATION' || error.code?.startsWith('ERR_PARSE_ARGS'),
        `${verb} ${args.join(' ')}: ${error.code} ${error.message}`,
      );
      assert.match(error.message, message);
      return true;
    },
  );
}

describe('each verb is one request', () => {
  test('list, with statuses checked', () => {
    assert.deepEqual(plan('list'), {
      method: 'GET',
      path: '/api/0/organizations/acme/incidents/',
      query: {},
    });
    assert.deepEqual(plan('list', '--status', 'all', '--limit', '100', '--cursor', '0:100:0').query, {
      status: 'all',
      per_page: '100',
      cursor: '0:100:0',
    });
    usageError('list', ['--limit', '101'], /at most 100/);
    assert.deepEqual(plan('list', '--status', 'triage,investigating').query, {
      status: 'triage,investigating',
    });
    assert.deepEqual(plan('list', '--status', 'open').query, { status: 'open' });
    usageError(
      'list',
      ['--status', 'burning'],
      /--status must be open, all, or a list of triage, investigating/,
    );
  });

  test('declare: title as words or --title, repeatable and comma-separated lists, ISO times', () => {
    assert.deepEqual(
      plan(
        'declare',
        'Checkout',
        'down',
        '--severity',
        'P1',
        '--issue',
        'WEB-12',
        '--issue',
        'API-3,API-4',
        '--service',
        'checkout',
        '--ticket',
        'https://linear.app/x/INC-1',
        '--channel',
        'https://slack.example/c/1',
        '--detected-at',
        '2025-01-31T14:05:00+01:00',
        '--source',
        'customer report',
      ),
      {
        method: 'POST',
        path: '/api/0/organizations/acme/incidents/',
        body: {
          title: 'Checkout down',
          severity: 'P1',
          issues: ['WEB-12', 'API-3', 'API-4'],
          services: ['checkout'],
          ticketUrl: 'https://linear.app/x/INC-1',
          channelUrl: 'https://slack.example/c/1',
          detectedAt: '2025-01-31T13:05:00.000Z',
          detectionSource: 'customer report',
        },
      },
    );
    assert.deepEqual(plan('declare', '--issue', 'WEB-12').body, { issues: ['WEB-12'] });
    usageError('declare', ['A', '--title', 'B'], /either as arguments or with --title/);
    usageError('declare', ['--detected-at', 'yesterday-ish'], /not an ISO time/);
    // Date.parse read "12" as 2001-12-01 and rolled 2026-02-30 over to March 2.
    for (const loose of ['12', '2026-02-30', '2026-02-30T10:00:00Z']) {
      usageError('declare', ['--detected-at', loose], /not an ISO time that exists/);
      usageError('note', ['7', 'x', '--at', loose], /not an ISO time that exists/);
    }
    assert.equal(
      (plan('declare', 'A', '--detected-at', '2026-01-05 10:00').body as { detectedAt: string }).detectedAt,
      '2026-01-05T10:00:00.000Z',
    );
    usageError('declare', ['--status', 'resolved'], /cannot be declared resolved/);
  });

  test('show takes INC-7, inc-7, #7 or 7 and nothing else', () => {
    for (const ref of ['INC-7', 'inc-7', '#7', '7', '007']) {
      assert.deepEqual(plan('show', ref), { method: 'GET', path: `${INC}/` });
    }
    usageError('show', [], /name the incident/);
    usageError('show', ['WEB-12'], /"WEB-12" is not an incident/);
    usageError('show', ['7', '8'], /unexpected argument "8"/);
  });

  test('update sends only what was given; empty clears a link; --if-version makes it conditional', () => {
    assert.deepEqual(
      plan(
        'update',
        'INC-7',
        '--severity',
        'P2',
        '--ticket',
        '',
        '--root-cause',
        'pool',
        '--if-version',
        '4',
      ),
      {
        method: 'PUT',
        path: `${INC}/`,
        body: { severity: 'P2', ticketUrl: null, rootCause: 'pool', expectedVersion: 4 },
      },
    );
    assert.deepEqual(plan('update', '7', '--service', 'a,b', '--service', 'c').body, {
      services: ['a', 'b', 'c'],
    });
    usageError('update', ['7'], /nothing to change/);
    usageError('update', ['7', '--title', 'x', '--if-version', 'latest'], /--if-version must be a positive/);
    usageError('update', ['7', '--colour', 'red'], /Unknown option '--colour'/);
  });

  test('status moves, conditionally with --from; resolved goes to resolve', () => {
    assert.deepEqual(plan('status', '7', 'mitigating', '--from', 'identified'), {
      method: 'PUT',
      path: `${INC}/`,
      body: { status: 'mitigating', expectedStatus: 'identified' },
    });
    assert.deepEqual(plan('status', '7', 'resolved', '--root-cause', 'bad deploy'), {
      method: 'POST',
      path: `${INC}/resolve/`,
      body: { rootCause: 'bad deploy' },
    });
    usageError('status', ['7'], /missing the new status/);
    usageError('status', ['7', 'fixed'], /the new status must be one of/);
    usageError('status', ['7', 'resolved', '--from', 'monitoring'], /--from does not apply to resolved/);
    usageError('status', ['7', 'monitoring', '--override', 'x'], /apply only to resolved/);
  });

  test('ack, role (ops-lead as typed), role --clear', () => {
    assert.deepEqual(plan('ack', '7'), { method: 'POST', path: `${INC}/acknowledge/` });
    assert.deepEqual(plan('role', '7', 'commander', 'me'), {
      method: 'PUT',
      path: `${INC}/roles/commander/`,
      body: { user: 'me' },
    });
    assert.equal(plan('role', '7', 'ops-lead', 'a@b.c').path, `${INC}/roles/ops_lead/`);
    assert.deepEqual(plan('role', '7', 'scribe', '--clear'), {
      method: 'DELETE',
      path: `${INC}/roles/scribe/`,
    });
    usageError('role', ['7', 'scribe'], /missing the user/);
    usageError('role', ['7', 'scribe', 'me', 'you'], /unexpected argument "you"/);
  });

  test('link many issues, unlink one (path-encoded)', () => {
    assert.deepEqual(plan('link', '7', 'WEB-12', 'API-3,99'), {
      method: 'POST',
      path: `${INC}/issues/`,
      body: { issues: ['WEB-12', 'API-3', '99'] },
    });
    assert.deepEqual(plan('unlink', '7', 'WEB 12/x'), {
      method: 'DELETE',
      path: `${INC}/issues/WEB%2012%2Fx/`,
    });
    usageError('link', ['7'], /at least one issue/);
  });

  test('timeline list or one entry; note with unquoted text; edit', () => {
    assert.deepEqual(plan('timeline', '7'), { method: 'GET', path: `${INC}/timeline/` });
    assert.deepEqual(plan('timeline', '7', '#42'), { method: 'GET', path: `${INC}/timeline/42/` });
    assert.deepEqual(
      plan('note', '7', 'pool', 'exhausted', '--kind', 'hypothesis', '--at', '2025-01-31T14:00:00Z'),
      {
        method: 'POST',
        path: `${INC}/timeline/`,
        body: { kind: 'hypothesis', body: 'pool exhausted', occurredAt: '2025-01-31T14:00:00.000Z' },
      },
    );
    assert.deepEqual(plan('note', '7', 'x').body, { kind: 'note', body: 'x' });
    usageError('note', ['7'], /missing the text/);
    usageError(
      'note',
      ['7', 'x', '--kind', 'rant'],
      /--kind must be one of note, hypothesis, decision, action/,
    );
    assert.deepEqual(plan('edit', '7', '42', '--star'), {
      method: 'PUT',
      path: `${INC}/timeline/42/`,
      body: { starred: true },
    });
    assert.deepEqual(plan('edit', '7', '42', '--body', 'b', '--unstar').body, { body: 'b', starred: false });
    usageError('edit', ['7', '42'], /nothing to change/);
    usageError('edit', ['7', '42', '--star', '--unstar'], /not both/);
    usageError('edit', ['7', 'abc', '--star'], /not a timeline entry id/);
  });

  test('triage, mitigate, mitigations, verify, resolve', () => {
    assert.deepEqual(plan('triage', 'INC-7'), { method: 'GET', path: `${INC}/triage/`, query: {} });
    assert.deepEqual(plan('triage', 'INC-7', '--environment', 'production').query, {
      environment: 'production',
    });
    assert.deepEqual(
      plan('mitigate', '7', '--type', 'rollback', '--release', 'web@1.2.2', '--project', 'web'),
      {
        method: 'POST',
        path: `${INC}/mitigations/`,
        body: { type: 'rollback', release: 'web@1.2.2', project: 'web' },
      },
    );
    assert.deepEqual(
      plan(
        'mitigate',
        '7',
        '--type',
        'feature_flag',
        '--description',
        'new-cart off',
        '--at',
        '2025-01-31T14:10:00Z',
        '--no-hooks',
      ).body,
      {
        type: 'feature_flag',
        description: 'new-cart off',
        occurredAt: '2025-01-31T14:10:00.000Z',
        runHooks: false,
      },
    );
    usageError('mitigate', ['7', '--type', 'rollback'], /a rollback names its release: --release R/);
    usageError('mitigate', ['7'], /--type is required/);
    usageError('mitigate', ['7', '--type', 'pray'], /--type must be one of rollback/);
    assert.deepEqual(plan('mitigations', '7'), { method: 'GET', path: `${INC}/mitigations/` });
    assert.deepEqual(plan('verify', '7'), { method: 'POST', path: `${INC}/verify/` });
    assert.deepEqual(plan('verify', '7', '--dry-run'), { method: 'GET', path: `${INC}/verification/` });
    assert.deepEqual(plan('resolve', '7', '--override', 'customer confirmed'), {
      method: 'POST',
      path: `${INC}/resolve/`,
      body: { override: 'customer confirmed' },
    });
    usageError('resolve', ['7', '--override', ' '], /--override needs a reason/);
  });

  test('post (message as words or --message) and draft', () => {
    assert.deepEqual(
      plan(
        'post',
        '7',
        '--impact',
        'EU checkout fails',
        'Rolled',
        'back',
        '--next-update-in',
        '30',
        '--audience',
        'stakeholder',
      ),
      {
        method: 'POST',
        path: `${INC}/updates/`,
        body: {
          impact: 'EU checkout fails',
          message: 'Rolled back',
          audience: 'stakeholder',
          nextUpdateInMinutes: 30,
        },
      },
    );
    assert.deepEqual(plan('post', '7', '--impact', 'i', '--message', 'm', '--status', 'monitoring').body, {
      status: 'monitoring',
      impact: 'i',
      message: 'm',
      audience: 'internal',
    });
    usageError('post', ['7', '--message', 'm'], /--impact is required/);
    usageError('post', ['7', '--impact', 'i'], /the message is required/);
    usageError('post', ['7', '--impact', 'i', '--next-update-in', '0', 'm'], /positive whole number/);
    assert.deepEqual(plan('draft', '7', '--audience', 'business'), {
      method: 'GET',
      path: `${INC}/updates/draft/`,
      query: { audience: 'business' },
    });
    assert.deepEqual(plan('draft', '7', '--eta', 'within the hour').query, { eta: 'within the hour' });
    assert.deepEqual(plan('updates', 'INC-7'), { method: 'GET', path: `${INC}/updates/` });
    usageError('draft', ['7', '--audience', 'ceo'], /--audience must be one of technical, business/);
  });

  test('settings: get without options, put with them', () => {
    const path = '/api/0/organizations/acme/incident-settings/';
    assert.deepEqual(plan('settings'), { method: 'GET', path });
    assert.deepEqual(plan('settings', '--scheme', 'P0-P3', '--hold-minutes', '15', '--component-tag', ''), {
      method: 'PUT',
      path,
      body: { scheme: 'P0-P3', holdMinutes: 15, componentTag: null },
    });
  });

  test('hook: the secret comes from a named variable, the command after --', () => {
    const path = '/api/0/projects/acme/web/mitigation-hook/';
    assert.deepEqual(plan('hook', 'get', '--project', 'web'), { method: 'GET', path });
    assert.deepEqual(plan('hook', 'delete', '--project', 'web'), { method: 'DELETE', path });
    const call = planIncidentCall(
      'hook',
      [
        'set',
        '--project',
        'web',
        '--webhook',
        'https://deploy/hook',
        '--secret-env',
        'HOOK_SECRET',
        '--',
        './rollback.sh',
        '--to',
        '{release}',
      ],
      { ...ENV, HOOK_SECRET: 's3cret' },
    );
    assert.deepEqual(call.request, {
      method: 'PUT',
      path,
      body: { url: 'https://deploy/hook', secret: 's3cret', command: ['./rollback.sh', '--to', '{release}'] },
    });
    assert.deepEqual(
      plan('hook', 'set', '--project', 'web', '--webhook', '', '--clear-secret', '--clear-command').body,
      {
        url: null,
        secret: null,
        command: null,
      },
    );
    usageError('hook', ['set', '--project', 'web', '--clear-command', '--', 'x'], /not both/);
    usageError(
      'hook',
      ['set', '--project', 'web', '--secret-env', 'NOPE'],
      /NOPE: that environment variable is not set/,
    );
    usageError('hook', ['set', '--project', 'web'], /needs --webhook URL and\/or a command/);
    usageError('hook', ['get'], /--project P is required/);
    usageError('hook', ['show', '--project', 'web'], /get, set or delete, not "show"/);
    usageError('hook', ['get', '--project', 'web', '--webhook', 'x'], /takes only --project/);
  });
});

test('the organisation is required, from --org or FIREBREAK_ORG; --url is checked', () => {
  usageError('list', [], /no organisation/, { FIREBREAK_TOKEN: 't' });
  assert.equal(
    planIncidentCall('list', ['--org', 'other'], ENV).request.path,
    '/api/0/organizations/other/incidents/',
  );
  assert.equal(planIncidentCall('list', ['--url', 'http://fb:9/'], ENV).target.baseUrl, 'http://fb:9');
  usageError('list', ['--url', 'fb'], /not a URL/);
});

test('--help lists every verb with its usage', () => {
  const help = incidentUsage();
  for (const [name, verb] of Object.entries(INCIDENT_VERBS)) {
    assert.ok(help.includes(`  ${name.padEnd(12)}${verb.usage}`), `${name} is missing from --help`);
  }
});

test('page: a message, then a level or targets, not both', () => {
  assert.deepEqual(plan('page', 'INC-7', '--message', 'rollback failed'), {
    method: 'POST',
    path: `${INC}/page/`,
    body: { message: 'rollback failed' },
  });
  assert.deepEqual(plan('page', '7', '--message', 'all hands', '--target', '3', '--target', '4,5').body, {
    message: 'all hands',
    targets: ['3', '4', '5'],
  });
  assert.deepEqual(plan('page', '7', '--message', 'm', '--level', '2').body, { message: 'm', level: 2 });
  usageError('page', ['7'], /say why: --message TEXT/);
  usageError(
    'page',
    ['7', '--message', 'm', '--level', '2', '--target', '3'],
    /--level or --target, not both/,
  );
  usageError('page', ['7', '--message', 'm', '--level', 'x'], /positive whole number/);
});
