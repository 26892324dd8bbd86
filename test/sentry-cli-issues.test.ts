import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { SetupResult } from '../src/projects/setup-project.ts';
import { apiClient, sendEvent } from './helpers/issues.ts';
import { run } from './helpers/run.ts';
import { startTestServer, type TestServer } from './helpers/server.ts';

let t: TestServer;
before(async () => {
  t = await startTestServer();
});
after(() => t.close());

const sentryCli = (s: SetupResult, args: string[]) =>
  run('node_modules/.bin/sentry-cli', args, {
    env: {
      SENTRY_DISABLE_UPDATE_CHECK: 'true',
      SENTRY_URL: t.url,
      SENTRY_AUTH_TOKEN: s.token,
      SENTRY_ORG: s.org,
      SENTRY_PROJECT: s.project,
    },
  });

/** sentry-cli prints issues as an ASCII table: | Issue ID | Short ID | Title | Last seen | Status | Level | */
function parseTable(stdout: string): Record<string, string>[] {
  const rows = stdout.split('\n').filter((line) => line.startsWith('|'));
  const cells = (line: string) =>
    line
      .split('|')
      .slice(1, -1)
      .map((cell) => cell.trim());
  const [header, ...body] = rows.map(cells);
  return body.map((row) => Object.fromEntries(header.map((name, i) => [name, row[i]])));
}

async function seed(s: SetupResult) {
  await sendEvent(t, s, { message: 'Boom one', level: 'error', release: 'cli@1.0.0' });
  await sendEvent(t, s, { message: 'Warn two', level: 'warning', release: 'cli@1.0.0' });
  await sendEvent(t, s, { message: 'Crash three', level: 'error', release: 'cli@1.0.0' });
  const list = (await apiClient(t.url, s.token).get(`/api/0/projects/${s.org}/${s.project}/issues/`)).body;
  return Object.fromEntries(list.map((issue: any) => [issue.title, issue]));
}

test('sentry-cli issues list --query filters on the server; its table carries our ids and fields', async () => {
  const s = await t.setup();
  const issues = await seed(s);
  const result = await sentryCli(s, ['issues', 'list', '--query', 'is:unresolved level:error']);
  assert.equal(result.code, 0, result.stderr);
  const rows = parseTable(result.stdout);
  assert.deepEqual(rows.map((row) => row.Title).sort(), ['Boom one', 'Crash three']);
  for (const row of rows) {
    const issue = issues[row.Title];
    assert.deepEqual(
      [row['Issue ID'], row['Short ID'], row.Status, row.Level],
      [issue.id, issue.shortId, 'unresolved', 'error'],
    );
    assert.equal(row['Last seen'], issue.lastSeen);
  }
  const everything = parseTable((await sentryCli(s, ['issues', 'list'])).stdout);
  assert.equal(everything.length, 3, 'sentry-cli sends query= (empty): every status');

  const bad = await sentryCli(s, ['issues', 'list', '--query', 'level:error bogus:x']);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /invalid search token "bogus:x"/);
});

test('sentry-cli issues resolve / mute / unresolve change the server state, with activity', async () => {
  const s = await t.setup();
  const issues = await seed(s);
  const api = apiClient(t.url, s.token);
  const statusOf = async (title: string) =>
    (await api.get(`/api/0/organizations/${s.org}/issues/${issues[title].id}/`)).body;

  const resolve = await sentryCli(s, ['issues', 'resolve', '-i', issues['Boom one'].id]);
  assert.equal(resolve.code, 0, resolve.stderr);
  assert.match(resolve.stdout, /new status: resolved/);
  assert.equal((await statusOf('Boom one')).status, 'resolved');
  assert.equal((await statusOf('Crash three')).status, 'unresolved');
  const activity = await t.server.ctx.store.issues.activities(Number(issues['Boom one'].id));
  assert.deepEqual(
    activity.map((a) => a.type),
    ['set_resolved'],
  );
  const resolvedRows = parseTable((await sentryCli(s, ['issues', 'list', '--query', 'is:resolved'])).stdout);
  assert.deepEqual(
    resolvedRows.map((row) => [row.Title, row.Status]),
    [['Boom one', 'resolved']],
  );

  const mute = await sentryCli(s, [
    'issues',
    'mute',
    '-i',
    issues['Warn two'].id,
    '-i',
    issues['Crash three'].id,
  ]);
  assert.equal(mute.code, 0, mute.stderr);
  assert.equal((await statusOf('Warn two')).status, 'ignored');
  assert.equal((await statusOf('Crash three')).substatus, 'archived_forever');

  const unresolve = await sentryCli(s, ['issues', 'unresolve', '--status', 'muted']);
  assert.equal(unresolve.code, 0, unresolve.stderr);
  assert.deepEqual(
    await Promise.all(
      ['Boom one', 'Warn two', 'Crash three'].map(async (title) => (await statusOf(title)).status),
    ),
    ['resolved', 'unresolved', 'unresolved'],
    '--status muted picks only the muted issues',
  );

  const next = await sentryCli(s, ['issues', 'resolve', '--next-release', '-i', issues['Crash three'].id]);
  assert.equal(next.code, 0, next.stderr);
  const crash = await statusOf('Crash three');
  assert.deepEqual([crash.status, crash.statusDetails], ['resolved', { inNextRelease: true }]);
});

test('sentry-cli issues list lists past 125 issues: its default five pages hold 100 each, as in Sentry', async () => {
  const s = await t.setup();
  const count = 130;
  for (let i = 0; i < count; i++) await sendEvent(t, s, { message: `Bulk ${i}`, fingerprint: [`bulk-${i}`] });
  const result = await sentryCli(s, ['issues', 'list', '--max-rows', '500']);
  assert.equal(result.code, 0, result.stderr);
  const titles = new Set(parseTable(result.stdout).map((row) => row.Title));
  assert.equal(titles.size, count);
});
