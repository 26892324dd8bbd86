import assert from 'node:assert/strict';
import { test } from 'node:test';
import { appFrame, errorEvent, exception, expressFrame, getUserFrames, messageEvent } from './test-events.ts';
import { groupEventV1 } from './v1.ts';

test('error title is "Type: first line of value", culprit the transaction', () => {
  const result = groupEventV1(
    errorEvent(
      [
        exception(
          'TypeError',
          "Cannot read properties of undefined (reading 'id')\n    at getUser",
          getUserFrames(),
        ),
      ],
      {
        transaction: 'GET /users/:id',
      },
    ),
  );
  assert.equal(result.type, 'error');
  assert.equal(result.title, "TypeError: Cannot read properties of undefined (reading 'id')");
  assert.equal(result.culprit, 'GET /users/:id');
  assert.deepEqual(result.metadata, {
    type: 'TypeError',
    value: "Cannot read properties of undefined (reading 'id')\n    at getUser",
    filename: '/app/src/routes/users.js',
    function: 'getUser',
  });
});

test('without a transaction the culprit is the newest in-app frame', () => {
  const frames = [
    appFrame('src/routes/users.js', 'getUser', 'await load();'),
    { ...expressFrame(), in_app: true },
  ];
  assert.equal(
    groupEventV1(errorEvent([exception('Error', 'x', frames)])).culprit,
    'src.routes:users in getUser',
  );

  const { module: _, ...noModule } = appFrame('src/jobs/sync.js', 'syncAccounts', 'x');
  assert.equal(
    groupEventV1(errorEvent([exception('Error', 'x', [noModule])])).culprit,
    '/app/src/jobs/sync.js in syncAccounts',
  );
});

test('culprit falls back to a system frame, then to the request URL', () => {
  assert.equal(
    groupEventV1(errorEvent([exception('Error', 'x', [expressFrame()])])).culprit,
    'express.lib.router:layer in Layer.handle [as handle_request]',
  );
  const noStack = errorEvent([exception('Error', 'x')], {
    request: { url: 'https://api.example.com/users/7' },
  });
  assert.equal(groupEventV1(noStack).culprit, 'https://api.example.com/users/7');
});

test('long values are cut to 100 characters in the title', () => {
  const value = `${'v'.repeat(150)}\nsecond line`;
  const { title } = groupEventV1(errorEvent([exception('RangeError', value)]));
  assert.equal(title, `RangeError: ${'v'.repeat(97)}...`);
});

test('a missing type reads "Error"; an empty value leaves the type alone', () => {
  assert.equal(groupEventV1(errorEvent([{ value: 'boom' }])).title, 'Error: boom');
  assert.equal(groupEventV1(errorEvent([exception('AbortError', '')])).title, 'AbortError');
});

test('a synthetic exception is titled by its crash function and has no type or culprit', () => {
  const synthetic = {
    ...exception('SIGSEGV', 'x', getUserFrames()),
    mechanism: { type: 'signal', synthetic: true },
  };
  const result = groupEventV1(errorEvent([synthetic]));
  assert.equal(result.title, 'getUser');
  assert.equal(result.metadata.type, undefined);
  assert.equal(result.culprit, '');
  assert.equal(groupEventV1(errorEvent([{ ...synthetic, stacktrace: undefined }])).title, '<unknown>');
});

test('a captureMessage with an attached stack (@sentry/node ≥ 10) is a message titled by its text', () => {
  const event = {
    ...errorEvent([
      {
        ...exception('', 'User 42 logged in', getUserFrames()),
        type: undefined,
        mechanism: { type: 'generic', synthetic: true },
      },
    ]),
    logentry: { formatted: 'User 42 logged in' },
  };
  const result = groupEventV1(event);
  assert.equal(result.type, 'default');
  assert.equal(result.title, 'User 42 logged in');
  assert.match(result.culprit, /getUser/);
});

test('message events are titled by the first line of the message', () => {
  const result = groupEventV1(messageEvent('  Payment provider unavailable\nretrying in 30s  '));
  assert.equal(result.type, 'default');
  assert.equal(result.title, 'Payment provider unavailable');
  assert.deepEqual(result.metadata, { title: 'Payment provider unavailable' });
  assert.equal(result.culprit, '');
  assert.equal(groupEventV1(messageEvent('', { transaction: 'cron:nightly' })).culprit, 'cron:nightly');
  assert.equal(groupEventV1(messageEvent('')).title, '<unlabeled event>');
});
