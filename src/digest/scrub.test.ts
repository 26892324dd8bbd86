import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { NormalizedEvent } from './event.ts';
import { normalizeEvent } from './normalize.ts';
import { scrubEvent } from './scrub.ts';

const build = (raw: Record<string, unknown>) => normalizeEvent(raw, { receivedAt: Date.UTC(2026, 6, 1) });

/** Scrubs and checks the input was left alone. */
function scrub(event: NormalizedEvent): NormalizedEvent {
  const before = structuredClone(event);
  const scrubbed = scrubEvent(event);
  assert.deepEqual(event, before);
  return scrubbed;
}

describe('scrubEvent', () => {
  test('leaves a clean @sentry/node event alone and returns it as is', () => {
    const event = build({
      exception: [{ type: 'TypeError', value: "Cannot read properties of undefined (reading 'id')" }],
      event_id: 'b0d4e3c1f0c44c5c9a1d2f3e4a5b6c7d',
      contexts: { trace: { trace_id: '4f3c2a1b0e9d8c7b6a5f4e3d2c1b0a99', span_id: 'a1b2c3d4e5f60718' } },
      request: { method: 'GET', url: 'https://api.example.com/users/7?page=2' },
      breadcrumbs: [{ timestamp: 1782907199.9, category: 'console', message: 'loading user 1234567890123' }],
      tags: { author: 'sam' },
    });
    assert.equal(scrub(event), event);
  });

  test('drops the process environment sentry-cli uploads in extra.environ', () => {
    const event = build({
      logentry: { message: 'hello' },
      extra: {
        environ: {
          AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG',
          AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7',
          HOME: '/root',
        },
        build: 'nightly',
      },
    });
    assert.deepEqual(scrub(event).extra, { build: 'nightly' });
  });

  test('filters sensitive keys at any depth in extra, contexts, user, tags and frame vars', () => {
    const event = build({
      extra: {
        password: 'hunter2',
        nested: { api_key: 'x', list: [{ refresh_token: 'r', ok: 1 }] },
        count: 3,
      },
      contexts: { app: { app_name: 'web', Session: 's1', has_secret: false } },
      tags: { session_id: 'abc', team: 'core' },
      user: { id: '7', credentials: { user: 'a', pass: 'b' } },
      exception: [
        { type: 'E', stacktrace: { frames: [{ function: 'f', vars: { MYSQL_PWD: 'p', user: 'u' } }] } },
      ],
    });
    const scrubbed = scrub(event);
    assert.deepEqual(scrubbed.extra, {
      password: '[Filtered]',
      nested: { api_key: '[Filtered]', list: [{ refresh_token: '[Filtered]', ok: 1 }] },
      count: 3,
    });
    assert.deepEqual(scrubbed.contexts?.app, { app_name: 'web', Session: '[Filtered]', has_secret: false });
    assert.equal(scrubbed.tags.session_id, '[Filtered]');
    assert.equal(scrubbed.tags.team, 'core');
    assert.deepEqual(scrubbed.user, { id: '7', credentials: '[Filtered]' });
    assert.deepEqual(scrubbed.exception?.values[0].stacktrace?.frames[0].vars, {
      MYSQL_PWD: '[Filtered]',
      user: 'u',
    });
  });

  test('filters auth headers, cookies, query strings and URL credentials in the request', () => {
    const event = build({
      request: {
        url: 'https://deploy:s3cr3t@api.example.com/hook?access_token=abc123&page=2',
        headers: [
          ['Authorization', 'Bearer eyJhbGciOiJIUzI1NiJ9.e30.sig'],
          ['Cookie', 'sessionid=xyz; theme=dark'],
          ['X-Api-Key', 'k-123'],
          ['Content-Type', 'application/json'],
          ['Referer', 'https://example.com/?token=abc&q=shoes'],
        ],
        cookies: { sessionid: 'xyz', theme: 'dark' },
        query_string: [
          ['api_key', 'k'],
          ['q', 'shoes'],
        ],
        data: 'user=sam&password=hunter2',
        env: { REMOTE_ADDR: '10.0.0.1', SECRET_KEY: 'django' },
      },
    });
    const request = scrub(event).request;
    assert.equal(request?.url, 'https://[Filtered]@api.example.com/hook?access_token=[Filtered]&page=2');
    assert.deepEqual(request?.headers, {
      Authorization: '[Filtered]',
      Cookie: '[Filtered]',
      'X-Api-Key': '[Filtered]',
      'Content-Type': 'application/json',
      Referer: 'https://example.com/?token=[Filtered]&q=shoes',
    });
    assert.equal(request?.cookies, '[Filtered]');
    assert.deepEqual(request?.query_string, [
      ['api_key', '[Filtered]'],
      ['q', 'shoes'],
    ]);
    assert.equal(request?.data, 'user=sam&password=[Filtered]');
    assert.deepEqual(request?.env, { REMOTE_ADDR: '10.0.0.1', SECRET_KEY: '[Filtered]' });
    assert.equal(
      scrub(build({ request: { query_string: 'token=abc&q=1' } })).request?.query_string,
      'token=[Filtered]&q=1',
    );
    // A quoted value is filtered whole, quotes and all, closed or not.
    for (const [text, filtered] of [
      ['Login failed; password="hunter2" for bob', 'Login failed; password=[Filtered] for bob'],
      ["api_key='sk_live_abc123'", 'api_key=[Filtered]'],
      ['set-cookie: a=b; session="s3cr3t"; Path=/', 'set-cookie: a=b; session=[Filtered]; Path=/'],
      ['DATABASE_PASSWORD=`hunter2`', 'DATABASE_PASSWORD=[Filtered]'],
      ['secret=<abc123>', 'secret=[Filtered]'],
      ['password="hunter2', 'password=[Filtered]'],
    ]) {
      assert.equal(scrub(build({ message: text })).logentry?.formatted, filtered, text);
    }
    // The code around a URL in a source line is kept: a URL holds quotes only escaped.
    assert.equal(
      scrub(build({ message: "fetch('https://x/api?token=abc', { method: 'GET' })" })).logentry?.formatted,
      "fetch('https://x/api?token=[Filtered]', { method: 'GET' })",
    );
  });

  test('filters Luhn-valid card numbers in any string, keeps other digit runs', () => {
    const event = build({
      message: 'charge failed for card 4111 1111 1111 1111, order 1234567890123',
      exception: [{ type: 'PaymentError', value: 'card 5500-0000-0000-0004 declined' }],
      breadcrumbs: [{ message: 'retry 378282246310005.', data: { ts: '1782907200.1234567890123' } }],
    });
    const scrubbed = scrub(event);
    assert.equal(scrubbed.logentry?.formatted, 'charge failed for card [Filtered], order 1234567890123');
    assert.equal(scrubbed.exception?.values[0].value, 'card [Filtered] declined');
    assert.deepEqual(scrubbed.breadcrumbs?.values[0], {
      message: 'retry [Filtered].',
      data: { ts: '1782907200.1234567890123' },
    });
    assert.equal(scrubbed.event_id, event.event_id);
  });

  test('filters bearer and basic credentials and private keys in text, not prose', () => {
    const event = build({
      breadcrumbs: [
        { message: 'GET /me with Bearer abc123def456' },
        { message: 'Basic dXNlcjpwYXNzd29yZA== sent' },
        { message: 'Basic usage: the bearer instruments' },
        { message: 'key -----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY----- loaded' },
        { message: 'redis://:hunter2@cache:6379 down' },
      ],
    });
    assert.deepEqual(
      scrub(event).breadcrumbs?.values.map((crumb) => crumb.message),
      [
        'GET /me with Bearer [Filtered]',
        'Basic [Filtered] sent',
        'Basic usage: the bearer instruments',
        'key [Filtered] loaded',
        'redis://[Filtered]@cache:6379 down',
      ],
    );
  });

  test('caps nesting depth and string length', () => {
    let deep: Record<string, unknown> = { leaf: 'bottom' };
    for (let i = 0; i < 30; i++) deep = { child: deep };
    const scrubbed = scrub(build({ extra: { deep, big: 'a'.repeat(20_000) } }));
    let node = (scrubbed.extra as Record<string, unknown>).deep;
    let depth = 2; // event is 0, extra 1, deep 2
    while (typeof node === 'object' && node !== null) {
      node = (node as Record<string, unknown>).child;
      depth++;
    }
    assert.equal(node, '[Nested]');
    assert.equal(depth, 21);
    assert.equal(String(scrubbed.extra?.big).length, 16 * 1024);
  });

  test('a __proto__ key cannot smuggle values past the scrubber', () => {
    const event = build({ extra: JSON.parse('{"__proto__": {"password": "hunter2"}}') });
    const extra = scrub(event).extra as Record<string, unknown>;
    assert.deepEqual(Object.getOwnPropertyDescriptor(extra, '__proto__')?.value, { password: '[Filtered]' });
    assert.equal(Object.getPrototypeOf(extra), Object.prototype);
  });

  test('the key verdict cache never changes a result, however keys repeat or overflow it', () => {
    const scrubKeys = (keys: string[]) => {
      const extra = Object.fromEntries(keys.map((key) => [key, 'v']));
      return Object.entries(scrub(build({ extra })).extra as Record<string, unknown>);
    };
    const keys = ['author', 'password', 'note', 'Session', 'authorization', '__proto__'];
    const expected = [
      ['author', 'v'],
      ['password', '[Filtered]'],
      ['note', 'v'],
      ['Session', '[Filtered]'],
      ['authorization', '[Filtered]'],
      ['__proto__', 'v'],
    ];
    assert.deepEqual(scrubKeys(keys), expected);
    assert.deepEqual(scrubKeys(keys), expected);
    // More distinct keys than the cache holds, then the same keys again.
    const many = Array.from({ length: 10_000 }, (_, i) => (i % 2 ? `key${i}` : `token${i}`));
    assert.deepEqual(scrubKeys(many).filter(([, value]) => value === '[Filtered]').length, 5_000);
    assert.deepEqual(scrubKeys(keys), expected);
  });

  test('filters values under sensitive keys whatever their type, and leaves other primitives alone', () => {
    const extra = scrub(
      build({ extra: { token: 42, secret: null, cvv: false, list: [1, null, true, 'a', ['x']], n: 3 } }),
    ).extra;
    assert.deepEqual(extra, {
      token: '[Filtered]',
      secret: null,
      cvv: false,
      list: [1, null, true, 'a', ['x']],
      n: 3,
    });
  });

  /** Scrubs each input as a string of an event (in `extra`, or as a breadcrumb message). */
  function assertScrubbed(
    pairs: [input: string, expected: string][],
    where: 'extra' | 'breadcrumbs' = 'extra',
  ) {
    const inputs = pairs.map(([input]) => input);
    const scrubbed =
      where === 'extra'
        ? (scrub(build({ extra: { values: inputs } })).extra as { values: string[] }).values
        : scrub(build({ breadcrumbs: inputs.map((message) => ({ message })) })).breadcrumbs?.values.map(
            (crumb) => crumb.message,
          );
    assert.deepEqual(
      scrubbed,
      pairs.map(([, expected]) => expected),
    );
  }

  test('finds bearer and basic in any ASCII case, only as whole scheme words', () => {
    assertScrubbed(
      [
        ['BEARER abc123def456', 'BEARER [Filtered]'],
        ['bAsIc dXNlcjpwYXNz', 'bAsIc [Filtered]'],
        ['token: Bearer', 'token: Bearer'],
        ['ends with b', 'ends with b'],
        ['ends with B', 'ends with B'],
        ['Bea', 'Bea'],
        ['Xbearer abc123def456', 'Xbearer abc123def456'],
        ['baſic dXNlcjpwYXNz', 'baſic dXNlcjpwYXNz'],
        ['bearer\tabc123def456', 'bearer\t[Filtered]'],
      ],
      'breadcrumbs',
    );
  });

  test("finds URL credentials and '=' pairs wherever they sit in the string", () => {
    assertScrubbed([
      ['me@example.com then https://u:p@host/', 'me@example.com then https://[Filtered]@host/'],
      ['https://u:p@host', 'https://[Filtered]@host'],
      ['https://host/ only, no at sign', 'https://host/ only, no at sign'],
      ['mailto me@example.com, no scheme', 'mailto me@example.com, no scheme'],
      ['ends with a colon:', 'ends with a colon:'],
      ['ends with :/', 'ends with :/'],
      ['=leading', '=leading'],
      ['trailing=', 'trailing='],
      ['password=', 'password=[Filtered]'],
      ['x=1&password=hunter2', 'x=1&password=[Filtered]'],
      // In prose, after a space, a comma or a parenthesis.
      ['connecting with password=X to db', 'connecting with password=[Filtered] to db'],
      // The value runs to the next space, as in a query string, so the ")," after it goes too.
      ['retry (token=abc123), attempt=2', 'retry (token=[Filtered] attempt=2'],
      ['a=1, api_key=k-9', 'a=1, api_key=[Filtered]'],
      ['authorisation=xyz', 'authorisation=[Filtered]'],
      ['width=100 author=ada', 'width=100 author=ada'],
    ]);
  });

  test('a formatted log message and the title built from it hold no secret its params carried', () => {
    const event = scrub(build({ logentry: { message: 'login %s', params: ['password=SECRET1'] } }));
    assert.equal(event.logentry?.formatted, 'login password=[Filtered]');
    assert.doesNotMatch(JSON.stringify(event), /SECRET1/);
  });

  test('card numbers with separators, at the digit-count boundary, and beside other secrets', () => {
    assertScrubbed([
      ['4111-1111-1111-1111', '[Filtered]'],
      ['4111 1111 1111 1111', '[Filtered]'],
      ['4222222222222', '[Filtered]'],
      ['422222222222', '422222222222'],
      ['card 4111111111111111 then ?token=abc', 'card [Filtered] then ?token=[Filtered]'],
      ['card 4111111111111111 at https://u:p@host', 'card [Filtered] at https://[Filtered]@host'],
      ['Bearer 4111111111111111', 'Bearer [Filtered]'],
      [
        '-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY----- &password=x',
        '[Filtered] &password=[Filtered]',
      ],
    ]);
  });

  test('only the kept first 16 KiB of a long string are scrubbed', () => {
    const event = build({
      extra: { tail: `${'a'.repeat(16 * 1024)} password=x`, head: `token=abc ${'a'.repeat(20_000)}` },
    });
    const extra = scrub(event).extra as Record<string, string>;
    assert.equal(extra.tail, 'a'.repeat(16 * 1024));
    assert.equal(extra.head, `token=[Filtered] ${'a'.repeat(16 * 1024 - 'token=abc '.length)}`);
  });
});
