import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { run } from './helpers/run.ts';
import { apiGet, startTestServer, type TestServer } from './helpers/server.ts';

let t: TestServer;
before(async () => {
  t = await startTestServer();
});
after(() => t.close());

const sentryCli = (args: string[], env: Record<string, string>) =>
  run('node_modules/.bin/sentry-cli', args, { env: { SENTRY_DISABLE_UPDATE_CHECK: 'true', ...env } });

test('sentry-cli send-event (X-Sentry-Auth, length-framed envelope, dashed event id) becomes an issue', async () => {
  const setup = await t.setup();
  const result = await sentryCli(
    [
      'send-event',
      '--no-environ',
      '-m',
      'Payment provider timeout after 3000ms',
      '-t',
      'team:payments',
      '-r',
      'api@2.0.0',
      '-E',
      'staging',
      '--level',
      'warning',
    ],
    { SENTRY_DSN: setup.dsn },
  );
  assert.equal(result.code, 0, result.stderr);
  const eventId = /Event id: ([0-9a-f-]+)/.exec(result.stdout + result.stderr)?.[1];
  assert.ok(eventId, result.stdout);

  const issues = await apiGet(t.url, setup.token, `/api/0/projects/${setup.org}/${setup.project}/issues/`);
  assert.equal(issues.status, 200);
  assert.equal(issues.body.length, 1);
  const [issue] = issues.body;
  assert.equal(issue.title, 'Payment provider timeout after 3000ms');
  assert.equal(issue.level, 'warning');
  const latest = await apiGet(
    t.url,
    setup.token,
    `/api/0/organizations/${setup.org}/issues/${issue.id}/events/latest/`,
  );
  assert.equal(latest.body.eventID, eventId.replaceAll('-', ''));
  const tags = Object.fromEntries(latest.body.tags.map((tag: any) => [tag.key, tag.value]));
  assert.equal(tags.team, 'payments');
  assert.equal(tags.release, 'api@2.0.0');
  assert.equal(tags.environment, 'staging');

  // A message without a stack groups on its parameterised text: another duration, same issue.
  const again = await sentryCli(
    ['send-event', '--no-environ', '-m', 'Payment provider timeout after 5000ms'],
    {
      SENTRY_DSN: setup.dsn,
    },
  );
  assert.equal(again.code, 0, again.stderr);
  const after = await apiGet(t.url, setup.token, `/api/0/projects/${setup.org}/${setup.project}/issues/`);
  assert.equal(after.body.length, 1);
  assert.equal(after.body[0].count, '2');
});

test('sentry-cli send-event without --no-environ: the uploaded environment is scrubbed', async () => {
  const setup = await t.setup();
  const result = await sentryCli(['send-event', '-m', 'with environ'], {
    SENTRY_DSN: setup.dsn,
    AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  });
  assert.equal(result.code, 0, result.stderr);
  const issues = await apiGet(t.url, setup.token, `/api/0/projects/${setup.org}/${setup.project}/issues/`);
  const latest = await apiGet(
    t.url,
    setup.token,
    `/api/0/organizations/${setup.org}/issues/${issues.body[0].id}/events/latest/`,
  );
  assert.doesNotMatch(JSON.stringify(latest.body), /wJalrXUtnFEMI/);
});
