import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type NormalizeContext, normalizeEvent } from './normalize.ts';
import { userKeyOf } from './user-key.ts';

const RECEIVED_MS = Date.UTC(2026, 6, 1, 12, 0, 0);
const RECEIVED = RECEIVED_MS / 1000;
const ctx: NormalizeContext = { receivedAt: RECEIVED_MS };
const normalize = (raw: Record<string, unknown>, extra: Partial<NormalizeContext> = {}) =>
  normalizeEvent(raw, { ...ctx, ...extra });

// reference/sentry-protocol.md §3.5
const nodeEvent = () => ({
  exception: {
    values: [
      {
        type: 'TypeError',
        value: "Cannot read properties of undefined (reading 'id')",
        mechanism: { type: 'auto.middleware.express', handled: false },
        stacktrace: {
          frames: [
            {
              filename: '/app/node_modules/express/lib/router/layer.js',
              function: 'Layer.handle',
              in_app: false,
            },
            { filename: '/app/src/routes/users.js', function: 'getUser', lineno: 42, in_app: true },
          ],
        },
      },
    ],
  },
  event_id: 'b0d4e3c1f0c44c5c9a1d2f3e4a5b6c7d',
  level: 'error',
  platform: 'node',
  timestamp: 1782907200.123,
  environment: 'production',
  release: 'api@1.4.2',
  server_name: 'web-1',
  transaction: 'GET /users/:id',
  contexts: {
    trace: { trace_id: '4f3c2a1b0e9d8c7b6a5f4e3d2c1b0a99', span_id: 'a1b2c3d4e5f60718' },
    runtime: { name: 'node', version: 'v22.3.0' },
  },
  request: { method: 'GET', url: 'https://api.example.com/users/7' },
  breadcrumbs: [{ timestamp: 1782907199.9, category: 'console', level: 'log', message: 'loading user' }],
  sdk: { name: 'sentry.javascript.node', version: '10.5.0' },
});

describe('normalizeEvent', () => {
  test('keeps an @sentry/node event intact, derives type and tags, and does not mutate it', () => {
    const raw = nodeEvent();
    const before = structuredClone(raw);
    const event = normalize(raw);
    assert.deepEqual(raw, before);
    assert.equal(event.event_id, 'b0d4e3c1f0c44c5c9a1d2f3e4a5b6c7d');
    assert.equal(event.timestamp, 1782907200.123);
    assert.equal(event.received, RECEIVED);
    assert.equal(event.type, 'error');
    assert.equal(event.exception?.values[0].stacktrace?.frames.length, 2);
    assert.deepEqual(event.breadcrumbs, { values: raw.breadcrumbs });
    assert.deepEqual(event.contexts, raw.contexts);
    assert.deepEqual(event.tags, {
      level: 'error',
      environment: 'production',
      release: 'api@1.4.2',
      server_name: 'web-1',
      transaction: 'GET /users/:id',
      url: 'https://api.example.com/users/7',
      runtime: 'node v22.3.0',
      'runtime.name': 'node',
      sdk: 'sentry.javascript.node',
      mechanism: 'auto.middleware.express',
      handled: 'no',
    });
  });

  test('reads a sentry-cli send-event payload: dashed envelope id, logentry, {{auto}} ip', () => {
    const raw = {
      event_id: 'c1c4cdb5a51d4ea99ba73aeab68e73bd',
      logentry: { message: 'hello' },
      platform: 'native',
      timestamp: 1782907100.93,
      user: { ip_address: '{{auto}}', username: 'root' },
      contexts: { os: { name: 'Ubuntu', version: '24.04' } },
      sdk: { name: 'sentry-cli', version: '3.8.0' },
    };
    const event = normalize(raw, {
      envelopeEventId: 'C1C4CDB5-A51D-4EA9-9BA7-3AEAB68E73BD',
      clientIp: '203.0.113.9',
    });
    assert.equal(event.event_id, 'c1c4cdb5a51d4ea99ba73aeab68e73bd');
    assert.deepEqual(event.logentry, { message: 'hello', formatted: 'hello' });
    assert.equal(event.type, 'default');
    assert.equal(event.level, 'error');
    assert.equal(event.environment, 'production');
    assert.deepEqual(event.user, { ip_address: '203.0.113.9', username: 'root' });
    assert.equal(event.tags.user, 'username:root');
    assert.equal(event.tags.os, 'Ubuntu 24.04');
    assert.equal(event.tags['os.name'], 'Ubuntu');
    assert.equal(raw.user.ip_address, '{{auto}}');
    assert.equal(normalize(raw).user?.ip_address, undefined);
  });

  test('event ids: envelope wins, dashed accepted, junk replaced by a fresh id', () => {
    assert.equal(
      normalize({ event_id: 'aaaaaaaa-bbbb-cccc-dddd-EEEEEEEEEEEE' }).event_id,
      'aaaaaaaabbbbccccddddeeeeeeeeeeee',
    );
    assert.equal(
      normalize({ event_id: 'a'.repeat(32) }, { envelopeEventId: 'b'.repeat(32) }).event_id,
      'b'.repeat(32),
    );
    assert.equal(
      normalize({ event_id: 'a'.repeat(32) }, { envelopeEventId: 'nope' }).event_id,
      'a'.repeat(32),
    );
    const generated = [normalize({ event_id: 'not-an-id' }).event_id, normalize({ event_id: 42 }).event_id];
    for (const id of generated) assert.match(id, /^[0-9a-f]{32}$/);
    assert.notEqual(generated[0], generated[1]);
  });

  test('timestamps: numbers, numeric strings, RFC 3339, garbage, future, clock drift', () => {
    const at = (timestamp: unknown, extra?: Partial<NormalizeContext>) =>
      normalize({ timestamp }, extra).timestamp;
    assert.equal(at(RECEIVED - 5), RECEIVED - 5);
    assert.equal(at(String(RECEIVED - 5.5)), RECEIVED - 5.5);
    assert.equal(at('2026-07-01T11:00:00Z'), RECEIVED - 3600);
    assert.equal(at('2026-07-01T11:00:00'), RECEIVED - 3600, 'no zone means UTC');
    assert.equal(at('2026-07-01T13:00:00+02:00'), RECEIVED - 3600);
    assert.equal(at('2026-07-01T11:00:00.250Z'), RECEIVED - 3600 + 0.25);
    for (const bad of ['garbage', null, {}, -1, Number.NaN, '2026-13-45T99:00:00Z'])
      assert.equal(at(bad), RECEIVED);
    assert.equal(at(undefined), RECEIVED);
    assert.equal(at(RECEIVED + 30), RECEIVED + 30);
    assert.equal(at(RECEIVED + 3600), RECEIVED, 'more than 60 s in the future');
    assert.equal(at(RECEIVED - 31 * 86_400), RECEIVED, 'more than 30 days old');
    // A project keeping events a day: one dated before that is dated when received, not pruned.
    assert.equal(at(RECEIVED - 3 * 86_400, { maxAgeDays: 1 }), RECEIVED);
    assert.equal(at(RECEIVED - 12 * 3600, { maxAgeDays: 1 }), RECEIVED - 12 * 3600);
    assert.equal(at(RECEIVED - 20 * 86_400, { maxAgeDays: 90 }), RECEIVED - 20 * 86_400);
    // Device clock two hours behind: sent_at and timestamp are both shifted by the drift.
    const sentAt = RECEIVED_MS - 2 * 3600_000;
    assert.equal(at(RECEIVED - 2 * 3600 - 10, { sentAt }), RECEIVED - 10);
    assert.equal(at(RECEIVED - 100, { sentAt: RECEIVED_MS - 54 * 60_000 }), RECEIVED - 100, 'under 55 min');
    const crumbs = normalize(
      { breadcrumbs: [{ timestamp: RECEIVED - 7210 }, { timestamp: '2026-07-01T10:00:00Z' }] },
      { sentAt },
    ).breadcrumbs?.values;
    assert.deepEqual(
      crumbs?.map((crumb) => crumb.timestamp),
      [RECEIVED - 10, RECEIVED],
    );
  });

  test('levels: aliases, Python numbers, junk → error', () => {
    const cases: [unknown, string][] = [
      ['debug', 'debug'],
      ['log', 'info'],
      ['WARN', 'warning'],
      ['warning', 'warning'],
      ['critical', 'fatal'],
      [10, 'debug'],
      [30, 'warning'],
      ['50', 'fatal'],
      [42, 'error'],
      ['loud', 'error'],
      [undefined, 'error'],
      [{}, 'error'],
    ];
    for (const [level, expected] of cases) assert.equal(normalize({ level }).level, expected, String(level));
    assert.equal(normalize({ level: 'info' }).tags.level, 'info');
  });

  test('platform, environment and release defaults and validation', () => {
    assert.equal(normalize({}).platform, 'other');
    assert.equal(normalize({ platform: 42 }).platform, 'other');
    assert.equal(normalize({}).environment, 'production');
    assert.equal(normalize({ environment: '  staging ' }).environment, 'staging');
    for (const environment of ['', 'a/b', 'x\ny', 'e'.repeat(65), 7]) {
      assert.equal(normalize({ environment }).environment, 'production');
    }
    assert.equal(normalize({ release: ' web@1.0.0 ' }).release, 'web@1.0.0');
    assert.equal(normalize({ release: ' web@1.0.0 ' }).tags.release, 'web@1.0.0');
    for (const release of [
      '',
      '  ',
      '.',
      '..',
      'latest',
      'a\nb',
      'web/1.0',
      'web\\1.0',
      'r'.repeat(201),
      {},
    ]) {
      const event = normalize({ release });
      assert.equal('release' in event, false, JSON.stringify(release));
      assert.equal(event.tags.release, undefined);
    }
  });

  test('message folding into logentry', () => {
    const folded = normalize({ message: 'disk full' });
    assert.deepEqual(folded.logentry, { formatted: 'disk full', message: 'disk full' });
    assert.equal('message' in folded, false);
    assert.deepEqual(
      normalize({ message: { message: '%s failed after %s tries', params: ['job', 3] } }).logentry,
      {
        message: '%s failed after %s tries',
        params: ['job', 3],
        formatted: 'job failed after 3 tries',
      },
    );
    assert.equal(normalize({ message: { formatted: 'pre-formatted' } }).logentry?.formatted, 'pre-formatted');
    assert.equal(normalize({ logentry: { message: 'a %s', params: ['b'] } }).logentry?.formatted, 'a b');
    const both = normalize({ logentry: { formatted: 'kept' }, message: 'legacy' });
    assert.equal(both.logentry?.formatted, 'kept');
    assert.equal(both.message, 'legacy');
    assert.equal(normalize({ message: 'x'.repeat(10_000) }).logentry?.formatted?.length, 8192);
    assert.equal(normalize({ message: 42 }).logentry, undefined);
    assert.equal(normalize({ logentry: 'junk' }).logentry?.formatted, 'junk');
  });

  test('exceptions: bare lists, junk entries, bad frames, frame cap', () => {
    const frames = Array.from({ length: 300 }, (_, i) => ({ function: `f${i}` }));
    const event = normalize({
      exception: [
        'junk',
        null,
        { type: 'Error', value: 'x', stacktrace: { frames: [{ function: 'a' }, 'junk', 7] } },
        { type: 'RangeError', value: { code: 1 }, mechanism: 'bad', stacktrace: { frames } },
        { type: 'Empty', stacktrace: { frames: 'not a list' } },
      ],
    });
    const values = event.exception?.values ?? [];
    assert.equal(event.type, 'error');
    assert.deepEqual(
      values.map((value) => value.type),
      ['Error', 'RangeError', 'Empty'],
    );
    assert.deepEqual(values[0].stacktrace?.frames, [{ function: 'a' }]);
    assert.equal(values[1].value, '{"code":1}');
    assert.equal(values[1].mechanism, undefined);
    const capped = values[1].stacktrace?.frames ?? [];
    assert.equal(capped.length, 250);
    assert.equal(capped[0].function, 'f0');
    assert.equal(capped[124].function, 'f124');
    assert.equal(capped[125].function, 'f175');
    assert.equal(capped[249].function, 'f299');
    assert.equal(values[2].stacktrace, undefined);
    assert.equal(frames.length, 300);

    for (const exception of [[], { values: ['junk'] }, 'boom', { values: 'nope' }]) {
      const plain = normalize({ exception });
      assert.equal(plain.type, 'default');
      assert.equal('exception' in plain, false);
    }
    assert.equal(normalize({ exception: { values: [{ type: 'E' }] } }).tags.handled, undefined);
  });

  test('an event keeps the last 50 exceptions and 5,000 frames, newest exception first', () => {
    const stack = (n: number, tag: string) => ({
      frames: Array.from({ length: n }, (_, i) => ({ function: `${tag}${i}` })),
    });
    const chain = Array.from({ length: 1_350 }, (_, i) => ({
      type: `E${i}`,
      stacktrace: stack(250, `e${i}_`),
    }));
    const event = normalize({
      exception: { values: chain },
      threads: { values: [{ id: 1, stacktrace: stack(10, 't') }] },
      stacktrace: stack(3, 's'),
    });
    const values = event.exception?.values ?? [];
    assert.equal(values.length, 50);
    assert.equal(values[0].type, 'E1300');
    assert.equal(values[49].type, 'E1349', 'the exception raised is kept last');
    const kept = values.map((value) => value.stacktrace?.frames.length ?? 0);
    assert.deepEqual(kept, [...Array(30).fill(0), ...Array(20).fill(250)]);
    assert.equal(event.stacktrace, undefined, 'the budget is spent');
    assert.equal(event.threads?.values[0].stacktrace, undefined);

    const partial = normalize({
      exception: { values: [{ type: 'Cause', stacktrace: stack(250, 'c') }, ...chain.slice(0, 19)] },
      stacktrace: stack(250, 's'),
    });
    const cause = partial.exception?.values[0].stacktrace?.frames ?? [];
    assert.deepEqual(
      [cause.length, cause[0].function, cause[124].function, cause[125].function],
      [250, 'c0', 'c124', 'c125'],
    );
    assert.equal(partial.stacktrace, undefined, '20 × 250 frames fill the budget exactly');
    const share = normalize({
      exception: { values: chain.slice(0, 19) },
      stacktrace: stack(100, 's'),
      threads: [{ id: 2, stacktrace: stack(300, 't') }],
    });
    const last = share.threads?.values[0].stacktrace?.frames ?? [];
    assert.deepEqual(
      [last.length, last[74].function, last[75].function, last[149].function],
      [150, 't74', 't225', 't299'],
      'the last stack gets what is left, trimmed from the middle',
    );
  });

  test('breadcrumbs: object or list, junk dropped, newest 100 kept', () => {
    const list = Array.from({ length: 150 }, (_, i) => ({ timestamp: RECEIVED - 150 + i, message: `m${i}` }));
    const values = normalize({ breadcrumbs: { values: list } }).breadcrumbs?.values ?? [];
    assert.equal(values.length, 100);
    assert.equal(values[0].message, 'm50');
    assert.equal(values[99].message, 'm149');
    assert.deepEqual(normalize({ breadcrumbs: [{ message: 'a' }, 'junk'] }).breadcrumbs, {
      values: [{ message: 'a' }],
    });
    assert.equal(normalize({ breadcrumbs: 'junk' }).breadcrumbs, undefined);
  });

  test('tags: object or pairs, stringified, trimmed, capped; the event alone decides level, environment, release, user', () => {
    assert.deepEqual(
      normalize({
        level: 'warning',
        tags: [['team', 'core'], ['count', 3], ['flag', true], ['level', 'custom'], 'junk'],
      }).tags,
      { level: 'warning', environment: 'production', team: 'core', count: '3', flag: 'true' },
    );
    const spoofed = normalize({
      user: { id: 'real' },
      tags: { environment: 'stg', release: 'fake@1', user: 'id:spoof', dist: '7', url: 'https://x/' },
    });
    assert.equal(
      spoofed.environment,
      'stg',
      'an environment tag names the environment when the event does not',
    );
    assert.deepEqual(spoofed.tags, {
      level: 'error',
      environment: 'stg',
      user: 'id:real',
      url: 'https://x/',
    });
    const named = normalize({
      environment: 'prod-eu',
      release: 'web@2',
      tags: [
        ['environment', 'stg'],
        ['release', 'x'],
      ],
    });
    assert.deepEqual(
      [named.environment, named.tags.environment, named.tags.release],
      ['prod-eu', 'prod-eu', 'web@2'],
    );
    // dist (of a release) and logger are tagged from the event, as Sentry does.
    const shipped = normalize({ release: 'web@2', dist: '42', logger: 'app.checkout', tags: { dist: '7' } });
    assert.deepEqual([shipped.tags.dist, shipped.tags.logger], ['42', 'app.checkout']);
    // A value the event has wins over a tag of that name (Sentry's set_tag); without one, the tag stays.
    const derived = normalize({
      logger: 'real.logger',
      transaction: '/real',
      server_name: 'web-1',
      tags: { logger: 'fake.logger', transaction: '/fake', server_name: 'spoof', url: 'https://x/' },
    });
    assert.deepEqual(
      [derived.tags.logger, derived.tags.transaction, derived.tags.server_name, derived.tags.url],
      ['real.logger', '/real', 'web-1', 'https://x/'],
    );
    // Flags come after the SDK's own tags: past the 64 indexed, it is flags that are left out.
    const flagged = normalize({
      logger: 'app',
      tags: { team: 'core' },
      contexts: {
        flags: { values: Array.from({ length: 80 }, (_, i) => ({ flag: `f${i}`, result: i % 2 === 0 })) },
      },
    });
    const keys = Object.keys(flagged.tags);
    assert.ok(
      keys.indexOf('team') < keys.indexOf('flags[f0]') && keys.indexOf('logger') < keys.indexOf('flags[f0]'),
    );
    assert.deepEqual(
      [flagged.tags['flags[f0]'], flagged.tags['flags[f1]'], keys.length],
      ['true', 'false', 84],
    );
    assert.equal(normalize({ dist: '42' }).tags.dist, undefined, 'no dist without a release');
    const tags = normalize({
      tags: {
        ' spaced ': '  v  ',
        empty: '',
        nil: null,
        obj: { a: 1 },
        long: 'v'.repeat(300),
        ['k'.repeat(201)]: 'x',
      },
    }).tags;
    assert.deepEqual(Object.keys(tags).sort(), ['environment', 'level', 'long', 'spaced']);
    assert.equal(tags.spaced, 'v');
    assert.equal(tags.long.length, 200);
    assert.deepEqual(normalize({ tags: 'junk' }).tags, { level: 'error', environment: 'production' });
    const browser = normalize({ contexts: { browser: { name: 'Chrome', version: '126.0' }, junk: 'x' } });
    assert.equal(browser.tags.browser, 'Chrome 126.0');
    assert.equal(browser.tags['browser.name'], 'Chrome');
    assert.deepEqual(browser.contexts, { browser: { name: 'Chrome', version: '126.0' } });
  });

  test('request headers as pairs become an object; user fields are strings', () => {
    const event = normalize({
      request: {
        url: 'https://x.test/a',
        headers: [
          ['Accept', 'text/html'],
          ['X-Forwarded-For', '1.1.1.1'],
          ['X-Forwarded-For', '2.2.2.2'],
          ['Bad', { a: 1 }],
        ],
      },
      user: { id: 42, email: 'a@b.test' },
    });
    assert.deepEqual(event.request?.headers, { Accept: 'text/html', 'X-Forwarded-For': '1.1.1.1, 2.2.2.2' });
    assert.deepEqual(event.user, { id: '42', email: 'a@b.test' });
    assert.equal(event.tags.user, 'id:42');
    assert.equal(normalize({ request: 'junk', user: 'junk' }).request, undefined);
  });

  test('unknown fields pass through untouched', () => {
    const debugMeta = { images: [{ type: 'macho' }] };
    const event = normalize({
      debug_meta: debugMeta,
      extra: { a: 1 },
      fingerprint: ['{{ default }}', 7, null],
    });
    assert.equal(event.debug_meta, debugMeta);
    assert.deepEqual(event.extra, { a: 1 });
    assert.deepEqual(event.fingerprint, ['{{ default }}', '7']);
  });
});

describe('userKeyOf', () => {
  test('prefers id, then email, username, ip', () => {
    assert.equal(userKeyOf({ id: '7', email: 'a@b.test', ip_address: '1.2.3.4' }), 'id:7');
    assert.equal(userKeyOf({ email: 'a@b.test', username: 'al' }), 'email:a@b.test');
    assert.equal(userKeyOf({ username: 'al', ip_address: '1.2.3.4' }), 'username:al');
    assert.equal(userKeyOf({ id: '', ip_address: '1.2.3.4' }), 'ip:1.2.3.4');
    assert.equal(userKeyOf({ geo: { city: 'Oslo' } }), null);
    assert.equal(userKeyOf(undefined), null);
  });
});
