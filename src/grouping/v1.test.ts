import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import type { StackFrame } from '../digest/event.ts';
import {
  appFrame,
  errorEvent,
  exception,
  expressFrame,
  getUserFrames,
  messageEvent,
  nodeInternalFrame,
} from './test-events.ts';
import { GROUPING_VERSION, groupEventV1 } from './v1.ts';

const md5 = (text: string) => createHash('md5').update(text).digest('hex');
const hashesOf = (
  frames: StackFrame[],
  type = 'TypeError',
  value = "Cannot read properties of undefined (reading 'id')",
) => groupEventV1(errorEvent([exception(type, value, frames)])).hashes;

test('exports the version', () => {
  assert.equal(GROUPING_VERSION, 'v1');
});

test('same crash site with a different message and line numbers groups together', () => {
  const first = hashesOf(getUserFrames(42));
  assert.equal(first.length, 2, 'an app and a system hash');
  assert.notEqual(first[0], first[1]);
  assert.deepEqual(
    hashesOf(getUserFrames(57), 'TypeError', "Cannot read properties of null (reading 'name')"),
    first,
  );
});

test('a different in-app call path is a different issue', () => {
  const viaGetUser = hashesOf(getUserFrames());
  const viaListUsers = hashesOf([
    expressFrame(),
    appFrame('src/routes/users.js', 'listUsers', '  return users.map((u) => u.id);'),
  ]);
  assert.notEqual(viaListUsers[0], viaGetUser[0]);
  assert.equal(
    viaListUsers.some((h) => viaGetUser.includes(h)),
    false,
  );
});

test('a stack of only system frames yields the system hash alone, not type + value', () => {
  const systemOnly = [nodeInternalFrame('process.processTicksAndRejections'), expressFrame()];
  const hashes = hashesOf(systemOnly, 'Error', 'socket hang up');
  assert.equal(hashes.length, 1);
  assert.deepEqual(hashesOf(systemOnly, 'Error', 'read ECONNRESET'), hashes, 'the value does not contribute');
  assert.notDeepEqual(groupEventV1(errorEvent([exception('Error', 'socket hang up')])).hashes, hashes);
});

test('frames under node_modules or node: are not in-app even when the SDK says they are', () => {
  const handler = appFrame('src/routes/users.js', 'getUser', '  return user.id;');
  const [appOnly] = hashesOf([handler]);
  const flagged = [
    { ...nodeInternalFrame('emit', 'node:events', 517), in_app: true },
    { ...expressFrame(), in_app: true },
    handler,
  ];
  assert.equal(hashesOf(flagged)[0], appOnly);
});

test('a frame without in_app counts as a system frame', () => {
  const handler = appFrame('src/routes/users.js', 'getUser', '  return user.id;');
  const { in_app: _, ...unflagged } = appFrame('src/lib/retry.js', 'retry', '  return fn();');
  const hashes = hashesOf([unflagged, handler]);
  assert.deepEqual(hashesOf([handler]), [hashes[0]], 'the app hash ignores it');
  assert.equal(hashes.length, 2, 'it still shapes the system hash');
});

test('Node internals and transpiler helpers are left out of grouping entirely', () => {
  const base = hashesOf(getUserFrames());
  const noisy = [
    nodeInternalFrame('runNextTicks', 'node:internal/process/task_queues', 60),
    {
      filename: '/app/node_modules/@babel/runtime/helpers/asyncToGenerator.js',
      module: '@babel.runtime.helpers:asyncToGenerator',
      function: 'asyncGeneratorStep',
      in_app: true,
    },
    ...getUserFrames(),
  ];
  assert.deepEqual(hashesOf(noisy), base);
});

test('without a stacktrace the type and parameterised value group', () => {
  const hash = (type: string, value: string) => groupEventV1(errorEvent([exception(type, value)])).hashes;
  assert.deepEqual(hash('OrderError', 'order 1231 failed'), hash('OrderError', 'order 99 failed'));
  assert.equal(hash('OrderError', 'order 1231 failed').length, 1);
  assert.notDeepEqual(hash('OrderError', 'order 1231 failed'), hash('OrderError', 'payment declined'));
  assert.notDeepEqual(hash('OrderError', 'order 1231 failed'), hash('PaymentError', 'order 1231 failed'));
});

test('JS frame components: module over filename, function after the last dot, anonymous ignored', () => {
  const frame = appFrame('src/jobs/sync.js', 'Object.syncAccounts', '  await client.sync(account);');
  const base = hashesOf([frame]);
  assert.deepEqual(hashesOf([{ ...frame, function: 'syncAccounts' }]), base);
  assert.deepEqual(hashesOf([{ ...frame, filename: '/srv/other/place/sync.js' }]), base, 'module wins');
  assert.notDeepEqual(hashesOf([{ ...frame, module: 'src.jobs:other' }]), base);

  const anonymous = appFrame('src/jobs/sync.js', '?', '  await client.sync(account);');
  assert.deepEqual(hashesOf([{ ...anonymous, function: '<anonymous>' }]), hashesOf([anonymous]));
});

test('context lines count with whitespace collapsed, but not when longer than 120 characters', () => {
  const frame = appFrame('src/routes/users.js', 'getUser', '  return user.id;');
  assert.deepEqual(hashesOf([{ ...frame, context_line: '\treturn   user.id;  ' }]), hashesOf([frame]));
  assert.notDeepEqual(hashesOf([{ ...frame, context_line: '  return user.name;' }]), hashesOf([frame]));
  const minified = (n: number) => ({ ...frame, context_line: `var a=${'x'.repeat(130)}${n}` });
  assert.deepEqual(hashesOf([minified(1)]), hashesOf([minified(2)]));
});

test('direct recursion does not change the hash', () => {
  const recurse = appFrame('src/tree.js', 'walk', '  return walk(node.left);', 12);
  const once = hashesOf([recurse]);
  assert.deepEqual(hashesOf([recurse, recurse, recurse]), once);
  assert.notDeepEqual(
    hashesOf([recurse, { ...recurse, lineno: 13 }]),
    once,
    'a different line is a new call',
  );
});

test('chained exceptions: the cause is part of the group', () => {
  const cause = (value: string) =>
    exception('QueryError', value, [appFrame('src/db.js', 'query', '  throw err;')]);
  const main = exception('Error', 'could not load user', getUserFrames());
  const withTimeout = groupEventV1(errorEvent([cause('timeout'), main])).hashes;
  assert.deepEqual(groupEventV1(errorEvent([cause('connection reset'), main])).hashes, withTimeout);
  assert.notDeepEqual(groupEventV1(errorEvent([main])).hashes, withTimeout);
});

test('a top-level stacktrace or a crashed thread is grouped when there is no exception', () => {
  const frames = getUserFrames();
  const fromStacktrace = groupEventV1(messageEvent('a', { stacktrace: { frames } })).hashes;
  const fromThread = groupEventV1(
    messageEvent('b', {
      threads: {
        values: [
          { id: 1, crashed: false },
          { id: 2, crashed: true, stacktrace: { frames } },
        ],
      },
    }),
  ).hashes;
  assert.deepEqual(fromThread, fromStacktrace);
  assert.notDeepEqual(
    groupEventV1(messageEvent('a')).hashes,
    fromStacktrace,
    'the stack wins over the message',
  );
});

test('message events group on the parameterised message', () => {
  const hash = (message: string) => groupEventV1(messageEvent(message)).hashes;
  const pairs: [string, string][] = [
    [
      'user 4f2a9c1e-7b3d-4e8a-9c2f-1a2b3c4d5e6f not found',
      'user 0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9 not found',
    ],
    ['Error with order #1231', 'Error with order #7'],
    ['invite sent to bob@example.com', 'invite sent to alice.smith+x@corp.example.org'],
    ['report generated at 2024-01-02T03:04:05Z', 'report generated at 2025-12-31T23:59:59.123+02:00'],
    ['timeout after 350ms', 'timeout after 12000ms'],
  ];
  for (const [a, b] of pairs) assert.deepEqual(hash(a), hash(b), `${a} ~ ${b}`);
  assert.notDeepEqual(hash('timeout after 350ms'), hash('retrying after 350ms'));
  assert.deepEqual(hash('Error with order #1231'), [md5('Error with order #<int>')]);
});

test('the logentry template is preferred over the formatted message', () => {
  const event = (formatted: string) =>
    messageEvent(formatted, { logentry: { message: 'Cache miss for %s', formatted, params: ['x'] } });
  assert.deepEqual(
    groupEventV1(event('Cache miss for users')).hashes,
    groupEventV1(event('Cache miss for teams')).hashes,
  );
});

test('a custom fingerprint groups different stacks together', () => {
  const a = errorEvent([exception('Error', 'db timeout', getUserFrames())], { fingerprint: ['db-timeout'] });
  const b = errorEvent(
    [exception('QueryError', 'timed out', [appFrame('src/jobs/sync.js', 'sync', '  await db.q();')])],
    {
      fingerprint: ['db-timeout'],
    },
  );
  assert.deepEqual(groupEventV1(a).hashes, [md5('db-timeout')]);
  assert.deepEqual(groupEventV1(b).hashes, groupEventV1(a).hashes);
});

test('fingerprint variables resolve from the event', () => {
  const event = (transaction: string, tags: Record<string, string>) =>
    errorEvent([exception('Error', 'x', getUserFrames())], {
      transaction,
      tags,
      fingerprint: [
        '{{ transaction }}',
        '{{tags.shard}}',
        '{{ error.type }}',
        '{{ function }}',
        '{{ nope }}',
      ],
    });
  assert.deepEqual(groupEventV1(event('GET /users/:id', { shard: 'eu-1' })).hashes, [
    md5('GET /users/:ideu-1ErrorgetUser{{ nope }}'),
  ]);
  assert.deepEqual(groupEventV1(event('', {})).hashes, [
    md5('<no-transaction><no-value-for-tag-shard>ErrorgetUser{{ nope }}'),
  ]);
});

test('a hybrid fingerprint salts the default grouping', () => {
  const event = (fingerprint?: string[], frames = getUserFrames()) =>
    groupEventV1(errorEvent([exception('TypeError', 'x', frames)], fingerprint ? { fingerprint } : {}))
      .hashes;
  const plain = event();
  assert.deepEqual(event(['{{ default }}']), plain);
  const salted = event(['{{ default }}', 'x']);
  assert.equal(salted.length, plain.length);
  assert.equal(
    salted.some((h) => plain.includes(h)),
    false,
  );
  assert.notDeepEqual(event(['{{default}}', 'y']), salted);
  assert.notDeepEqual(event(['{{ default }}', 'x'], [appFrame('src/a.js', 'other', 'x();')]), salted);
});

test('a client checksum is the hash', () => {
  const event = (checksum: string) =>
    groupEventV1(errorEvent([exception('E', 'x', getUserFrames())], { checksum }));
  assert.deepEqual(event('0123456789ABCDEF0123456789ABCDEF').hashes, ['0123456789abcdef0123456789abcdef']);
  assert.deepEqual(event('release-1:boom').hashes, [md5('release-1:boom')]);
});

test('an event with nothing to group on falls back to md5("")', () => {
  const empty = messageEvent('');
  delete empty.logentry;
  assert.deepEqual(groupEventV1(empty).hashes, ['d41d8cd98f00b204e9800998ecf8427e']);
});

test('the input event is not mutated', () => {
  const event = errorEvent(
    [
      exception('QueryError', 'timeout 30s', [{ ...expressFrame(), in_app: undefined }]),
      exception('TypeError', 'x', [
        { ...appFrame('src/a.js', 'f', 'f()'), filename: 'app.js?v=12' },
        expressFrame(),
      ]),
    ],
    { platform: 'javascript', fingerprint: ['{{ default }}', '{{ message }}'] },
  );
  const before = structuredClone(event);
  const deepFreeze = (value: unknown): void => {
    if (value && typeof value === 'object') {
      Object.freeze(value);
      for (const child of Object.values(value)) deepFreeze(child);
    }
  };
  deepFreeze(event);
  groupEventV1(event);
  assert.deepEqual(event, before);
});

// Stored issues are keyed by these hashes: a change to how v1 hashes (even one meant to be a pure
// speed-up) must leave them as they are, or every existing issue splits. Recorded from v1 as it
// hashed values one md5 update at a time.
test('v1 hashes are stable: a stack, non-ASCII text, and a message', () => {
  const stack = errorEvent([
    exception('TypeError', "Cannot read properties of undefined (reading 'id')", getUserFrames(42)),
  ]);
  assert.deepEqual(groupEventV1(stack).hashes, [
    '94ac88e17286bae93b7a63602e32ed8b',
    '8cfdda2ff4ed64113c1ca1abb5e46a3c',
  ]);
  const unicode = errorEvent([
    exception('Ошибка', 'naïve café ☕', [appFrame('src/ünïcode/日本.js', 'grüße', '  return 😀;')]),
  ]);
  assert.deepEqual(groupEventV1(unicode).hashes, ['76956e2dfa808c8773bde691175b2eaa']);
  assert.deepEqual(groupEventV1(messageEvent('Order 1231 failed for user ïñ')).hashes, [
    '5ef570aaff205a22d891dfac8da1ff52',
  ]);
});
