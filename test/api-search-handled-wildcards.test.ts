import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { SetupResult } from '../src/projects/setup-project.ts';
import { apiClient, sendEvent, startServerOn, titles } from './helpers/issues.ts';
import type { TestServer } from './helpers/server.ts';

const UNHANDLED = 'TypeError: boom unhandled';
const HANDLED = 'RangeError: boom handled';
const NO_MECHANISM = 'SyntaxError: boom plain';
const MESSAGE = 'a log line with star*inside';
const UNICODE = 'Ünïcode Straße failure';

/**
 * `error.handled` / `error.unhandled` as Sentry reads them (an exception without a mechanism's
 * `handled` flag counts as handled), `*` in message text, and `error.value` of message issues,
 * in both the issue search and the event search.
 */
for (const backend of ['sqlite', 'postgres'] as const)
  describe(`handled flags, wildcards, case and substatus in searches (${backend})`, () => {
    let t: TestServer;
    let s: SetupResult;
    let api: ReturnType<typeof apiClient>;
    /** Another organisation, for the substatus test: its issues stay out of the lists above. */
    let other: SetupResult;

    before(async () => {
      t = await startServerOn(backend);
      s = await t.setup();
      api = apiClient(t.url, s.token);
      const exception = (type: string, value: string, mechanism?: object) => ({
        exception: { values: [{ type, value, ...(mechanism ? { mechanism } : {}) }] },
      });
      await sendEvent(t, s, exception('TypeError', 'boom unhandled', { type: 'onerror', handled: false }));
      await sendEvent(t, s, exception('RangeError', 'boom handled', { type: 'generic', handled: true }));
      await sendEvent(t, s, exception('SyntaxError', 'boom plain'));
      await sendEvent(t, s, { message: MESSAGE });
      await sendEvent(t, s, { message: UNICODE, release: 'web@Ärger-1' });
      other = await t.setup();
      await sendEvent(t, other, {
        message: 'seen ten days ago',
        timestamp: (Date.now() - 10 * 86_400_000) / 1000,
      });
      await sendEvent(t, other, { message: 'seen today' });
    });
    after(() => t.close());

    const issues = async (query: string) =>
      titles(
        await api.get(`/api/0/projects/${s.org}/${s.project}/issues/?query=${encodeURIComponent(query)}`),
      );
    const events = async (query: string) => {
      const answer = await api.get(
        `/api/0/organizations/${s.org}/events/?field=title&query=${encodeURIComponent(query)}`,
      );
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      return answer.body.data.map((row: { title: string }) => row.title).sort();
    };

    test('an exception without a handled flag counts as handled', async () => {
      const handled = [HANDLED, NO_MECHANISM, MESSAGE, UNICODE].sort();
      for (const search of [issues, events]) {
        assert.deepEqual(await search('error.handled:true'), handled);
        assert.deepEqual(await search('error.unhandled:false'), handled);
        assert.deepEqual(await search('error.handled:false'), [UNHANDLED]);
        assert.deepEqual(await search('error.unhandled:true'), [UNHANDLED]);
        assert.deepEqual(await search('!error.handled:true'), [UNHANDLED]);
        assert.deepEqual(await search('!error.unhandled:true'), handled);
      }
    });

    test('* in message text and free text matches any run of characters', async () => {
      for (const search of [issues, events]) {
        assert.deepEqual(await search('message:boom*handled'), [HANDLED, UNHANDLED]);
        assert.deepEqual(await search('boom*led'), [HANDLED, UNHANDLED]);
        assert.deepEqual(await search('message:*star*'), [MESSAGE]);
        assert.deepEqual(await search('message:"star*inside"'), [MESSAGE]);
      }
    });

    test('text matching ignores case in every script, as PostgreSQL does', async () => {
      for (const search of [issues, events]) {
        assert.deepEqual(await search('ünïcode'), [UNICODE]);
        assert.deepEqual(await search('ÜNÏCODE straße'), [UNICODE]);
        assert.deepEqual(await search('message:"*STRASSE*"'), []);
      }
      assert.deepEqual(await events('title:*ÜNÏCODE*'), [UNICODE]);
      const releases = await api.get(
        `/api/0/organizations/${s.org}/releases/?query=${encodeURIComponent('ärger')}`,
      );
      assert.deepEqual(
        releases.body.map((r: { version: string }) => r.version),
        ['web@Ärger-1'],
      );
    });

    test('error.type and error.value match exceptions only, not message issues', async () => {
      for (const search of [issues, events]) {
        assert.deepEqual(await search('error.value:*'), [HANDLED, NO_MECHANISM, UNHANDLED]);
        assert.deepEqual(await search('error.value:"a log*"'), []);
        assert.deepEqual(await search('error.type:*Error'), [HANDLED, NO_MECHANISM, UNHANDLED]);
      }
    });

    test('a new issue older than 7 days shows and is found as ongoing', async () => {
      const list = async (query: string) =>
        (
          await apiClient(t.url, other.token).get(
            `/api/0/projects/${other.org}/${other.project}/issues/?query=${encodeURIComponent(query)}`,
          )
        ).body.map((issue: { title: string; substatus: string }) => `${issue.title}: ${issue.substatus}`);
      assert.deepEqual(await list('substatus:ongoing'), ['seen ten days ago: ongoing']);
      assert.deepEqual(await list('substatus:new'), ['seen today: new']);
      assert.deepEqual(await list('!substatus:new'), ['seen ten days ago: ongoing']);
      assert.deepEqual((await list('substatus:[new, ongoing]')).length, 2);
      assert.deepEqual(await list('substatus:regressed'), []);
    });
  });
