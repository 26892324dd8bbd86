import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { alertCommand } from '../src/cli/alert.ts';
import { manualClock } from '../src/clock.ts';
import { tick } from './helpers/alerts.ts';
import { sendEvent } from './helpers/issues.ts';
import { startQuietServer } from './helpers/quiet-server.ts';
import type { TestServer } from './helpers/server.ts';

const T0 = Date.parse('2026-11-22T09:00:00Z');

describe('firebreak alert over the REST API', () => {
  let t: TestServer;
  const clock = manualClock(T0);
  before(async () => {
    t = await startQuietServer('sqlite', clock);
  });
  after(() => t.close());

  async function run(args: string[], env: Record<string, string>) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await alertCommand(args, { out: (s) => out.push(s), err: (s) => err.push(s) }, env);
    return { code, out: out.join('\n'), err: err.join('\n') };
  }

  test('list, add, update, delete and firings; bad usage exits 2, a refused rule says why', async () => {
    const s = await t.setup();
    const env = { FIREBREAK_URL: t.url, FIREBREAK_ORG: s.org, FIREBREAK_TOKEN: s.token };
    const listed = await run(['list', '--project', s.project], env);
    assert.equal(listed.code, 0, listed.err);
    assert.match(
      listed.out,
      /new_issue\s+New issue \(default\)\n\s+level=error\|fatal · notify all targets · cooldown 0 min/,
    );

    const added = await run(
      [
        'add',
        '--project',
        s.project,
        '--name',
        'Checkout spikes',
        '--detector',
        'spike',
        '--factor',
        '4',
        '--window',
        '5',
        '--environment',
        'production',
        '--tag',
        'feature=checkout',
        '--declare',
        'P1',
        '--attach',
        '--cooldown',
        '15',
      ],
      env,
    );
    assert.equal(added.code, 0, added.err);
    assert.match(added.out, /^\s+\d+\s+on\s+spike\s+Checkout spikes\n/);
    assert.match(
      added.out,
      /factor=4 minCount=10 windowMinutes=5 scope=issue baseline=seasonal env=production feature:checkout/,
    );
    assert.match(added.out, /declare P1, attach to open incident · cooldown 15 min/);
    const id = /^\s+(\d+)/.exec(added.out)![1];

    // Only what the flags name changes: the factor and scope stay with a new window, the
    // environment with a new level, the declare and attach actions with a new notify.
    const partial = await run(
      ['update', id, '--project', s.project, '--window', '10', '--level', 'fatal', '--notify', 'all'],
      env,
    );
    assert.equal(partial.code, 0, partial.err);
    assert.match(partial.out, /factor=4 minCount=10 windowMinutes=10 scope=issue baseline=seasonal/);
    assert.match(partial.out, /level=fatal env=production feature:checkout/);
    assert.match(partial.out, /declare P1, attach to open incident, notify all targets · cooldown 15 min/);

    const updated = await run(['update', id, '--project', s.project, '--disable', '--no-actions'], env);
    assert.equal(updated.code, 0, updated.err);
    assert.match(updated.out, /off\s+spike\s+Checkout spikes\n.*no actions \(recorded only\)/);

    const json = await run(['list', '--project', s.project, '--json'], env);
    assert.equal(JSON.parse(json.out).length, 5);

    assert.equal((await run(['add', '--project', s.project, '--detector', 'spike'], env)).code, 2);
    assert.equal((await run(['update', 'abc', '--project', s.project, '--enable'], env)).code, 2);
    assert.equal((await run(['list'], env)).code, 2);
    const refused = await run(
      ['add', '--project', s.project, '--name', 'x', '--detector', 'spike', '--factor', '0.5'],
      env,
    );
    assert.equal(refused.code, 2);
    assert.match(refused.err, /conditions\.factor for spike/);

    assert.equal((await run(['delete', id, '--project', s.project], env)).code, 0);
    assert.equal((await run(['delete', id, '--project', s.project], env)).code, 3);

    await tick(t);
    await sendEvent(t, s, { level: 'error', message: 'Checkout failed', timestamp: T0 / 1000 });
    clock.advance(10_000);
    await tick(t);
    const history = await run(['firings'], env);
    assert.equal(history.code, 0, history.err);
    assert.match(
      history.out,
      new RegExp(
        `${s.project}  New issue  \\[new_issue\\]\\n  New issue [A-Z0-9]+-1: Checkout failed\\n  → no notification target yet`,
      ),
    );
    const none = await run(['firings', '1', '--project', s.project], env);
    assert.equal(none.code, 0, none.err);
    const badLimit = await run(['firings', '--limit', 'abc'], env);
    assert.equal(badLimit.code, 2);
    assert.match(badLimit.err, /--limit must be a positive whole number, not "abc"/);
  });
});
