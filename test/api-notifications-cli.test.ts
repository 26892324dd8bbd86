import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { notifyCommand } from '../src/cli/notify.ts';
import { manualClock } from '../src/clock.ts';
import { type HttpReceiver, startHttpReceiver } from './helpers/http-receiver.ts';
import { startQuietServer } from './helpers/quiet-server.ts';
import type { TestServer } from './helpers/server.ts';

describe('firebreak notify: targets, test sends, deliveries and escalation over the REST API', () => {
  let t: TestServer;
  let receiver: HttpReceiver;
  let env: Record<string, string>;
  before(async () => {
    t = await startQuietServer('sqlite', manualClock(Date.parse('2026-11-22T09:00:00Z')));
    receiver = await startHttpReceiver();
    const s = await t.setup();
    env = { FIREBREAK_URL: t.url, FIREBREAK_TOKEN: s.token, FIREBREAK_ORG: s.org, HOOK_SECRET: 'cli-s3cret' };
  });
  after(async () => {
    await receiver.close();
    await t.close();
  });

  async function run(...args: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await notifyCommand(args, { out: (x) => out.push(x), err: (x) => err.push(x) }, env);
    return { code, out: out.join('\n'), err: err.join('\n') };
  }

  test('add, list, test and read the log; secrets come from the environment and are never printed', async () => {
    const added = await run(
      'add',
      'webhook',
      'ops',
      '--webhook',
      `${receiver.url}/cli`,
      '--secret-env',
      'HOOK_SECRET',
      '--json',
    );
    assert.equal(added.code, 0, added.err);
    const id = JSON.parse(added.out).id;
    const mail = await run(
      'add',
      'email',
      'pager',
      '--host',
      '127.0.0.1',
      '--port',
      '2525',
      '--tls',
      'none',
      '--from',
      'fb@example.com',
      '--to',
      'a@example.com,b@example.com',
    );
    assert.equal(mail.code, 0, mail.err);
    const listed = await run('targets');
    assert.match(
      listed.out,
      new RegExp(`^${id}\\s+webhook\\s+ops\\s+${receiver.url}/cli \\(signed\\)$`, 'm'),
    );
    assert.match(listed.out, /email\s+pager\s+127\.0\.0\.1:2525 none → a@example\.com, b@example\.com/);
    assert.ok(!listed.out.includes('cli-s3cret'));

    const sent = await run('test', id);
    assert.equal(sent.code, 0, sent.err);
    assert.match(sent.out, /sent\s+test\s+target/);
    assert.match(sent.out, /attempt 1: ok — 127\.0\.0\.1:\d+ answered 200: ok/);
    assert.equal(receiver.requests.at(-1)?.json.action, 'test');
    const log = await run('deliveries', '--status', 'sent');
    assert.match(log.out, /sent\s+test/);

    // Nothing listens on port 9: the send fails, and a script sees it in the exit code.
    const dead = JSON.parse(
      (await run('add', 'webhook', 'dead', '--webhook', 'http://127.0.0.1:9/x', '--json')).out,
    ).id;
    const failed = await run('test', dead);
    assert.equal(failed.code, 6, failed.out);
    assert.match(failed.out, /attempt 1: failed/);
    assert.equal((await run('test', dead, '--json')).code, 6);
  });

  test('escalation policies: set with levels, show, clear', async () => {
    const id = JSON.parse(
      (await run('add', 'webhook', 'pager-hook', '--webhook', `${receiver.url}/p`, '--json')).out,
    ).id;
    const set = await run('escalation', 'P1', '--level', `${id}:5`, '--level', id, '--remind', id);
    assert.equal(set.code, 0, set.err);
    assert.match(set.out, new RegExp(`level 1: targets ${id}, acknowledge within 5 min`));
    assert.match(
      set.out,
      new RegExp(`level 2: targets ${id}, acknowledge within 5 min`),
      "P1's default deadline",
    );
    const all = await run('escalation');
    assert.match(all.out, /^P2\s+Manager \+ team lead \(default deadline 15 min\): no policy$/m);
    assert.equal((await run('escalation', 'P1', '--clear')).code, 0);
    assert.match((await run('escalation', 'P1')).out, /no policy/);
  });

  test('usage errors exit 2 with the verb usage; API errors keep their exit codes', async () => {
    const bad = await run('add', 'pigeon', 'x');
    assert.equal(bad.code, 2);
    assert.match(bad.err, /unknown kind "pigeon"/);
    const noEnv = await run(
      'add',
      'webhook',
      'x',
      '--webhook',
      `${receiver.url}/x`,
      '--secret-env',
      'NOT_SET',
    );
    assert.equal(noEnv.code, 2);
    assert.match(noEnv.err, /NOT_SET: that environment variable is not set/);
    assert.equal((await run('escalation', 'P1', '--level', 'abc')).code, 2);
    const invalid = await run('add', 'webhook', 'y', '--webhook', 'ftp://example.com');
    assert.equal(invalid.code, 2);
    assert.match(invalid.err, /url/);
    assert.equal((await run('test', '999999')).code, 3);
    assert.equal((await run('nope')).code, 2);
  });
});
