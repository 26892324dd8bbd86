import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { apiGet, startTestServer, type TestServer } from './helpers/server.ts';

/**
 * Large bodies move to the prepare worker instead of being copied when they hold one event
 * (src/ingest/private-bytes.ts). Envelopes where that must not happen, or must not lose a
 * sibling item, are stored whole through a live server.
 */
describe('bodies handed over to the prepare worker', () => {
  let t: TestServer;
  let setup: Awaited<ReturnType<TestServer['setup']>>;
  before(async () => {
    t = await startTestServer();
    setup = await t.setup();
  });
  after(() => t.close());

  const id = () => randomUUID().replaceAll('-', '');
  const event = (eventId: string, message: string) =>
    JSON.stringify({ event_id: eventId, message, extra: { lines: Array(1000).fill('p'.repeat(40)) } });

  async function send(lines: string[], gzip: boolean) {
    const body = Buffer.from(lines.join('\n'));
    const url = new URL(setup.dsn);
    const response = await fetch(`${t.url}/api/${setup.projectId}/envelope/?sentry_key=${url.username}`, {
      method: 'POST',
      headers: gzip ? { 'Content-Encoding': 'gzip' } : {},
      body: gzip ? gzipSync(body) : body,
    });
    assert.equal(response.status, 200, await response.clone().text());
    return response.json();
  }

  async function storedMessage(eventId: string) {
    const res = await apiGet(
      t.url,
      setup.token,
      `/api/0/projects/${setup.org}/${setup.project}/events/${eventId}/`,
    );
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return { message: res.body.message as string, lines: res.body.context?.lines as string[] | undefined };
  }

  test('a large gzipped event with an attachment beside it is stored whole', async () => {
    const eventId = id();
    await send(
      [
        JSON.stringify({ event_id: eventId }),
        JSON.stringify({ type: 'event' }),
        event(eventId, 'moved with an attachment'),
        JSON.stringify({ type: 'attachment', filename: 'log.txt', length: 5 }),
        'hello',
      ],
      true,
    );
    const stored = await storedMessage(eventId);
    assert.equal(stored.message, 'moved with an attachment');
    assert.equal(stored.lines?.length, 1000);
  });

  test('a large gzipped event sent to the store endpoint is stored whole', async () => {
    const eventId = id();
    const url = new URL(setup.dsn);
    const response = await fetch(`${t.url}/api/${setup.projectId}/store/?sentry_key=${url.username}`, {
      method: 'POST',
      headers: { 'Content-Encoding': 'gzip', 'Content-Type': 'application/json' },
      body: gzipSync(event(eventId, 'stored')),
    });
    assert.equal(response.status, 200, await response.text());
    const stored = await storedMessage(eventId);
    assert.equal(stored.message, 'stored');
    assert.equal(stored.lines?.length, 1000);
  });

  test('a large uncompressed body is stored whole', async () => {
    const eventId = id();
    await send(
      [JSON.stringify({ event_id: eventId }), JSON.stringify({ type: 'event' }), event(eventId, 'joined')],
      false,
    );
    assert.equal((await storedMessage(eventId)).message, 'joined');
  });
});
