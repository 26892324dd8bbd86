import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppError } from '../app-error.ts';
import { normalizeEventId, parseEnvelope, parseJsonObject } from './envelope.ts';
import { INGEST_LIMITS, type IngestLimits, itemGroupLimit, outcomeItemType } from './limits.ts';

const bytes = (...parts: (string | Buffer)[]) =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : p)));

function rejects(fn: () => unknown, code: string, message: string | RegExp) {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof AppError, `expected AppError, got ${error}`);
    assert.equal(error.code, code);
    if (typeof message === 'string') assert.equal(error.message, message);
    else assert.match(error.message, message);
    return true;
  });
}

describe('parseEnvelope', () => {
  it('parses the develop-docs example: attachment with BOM and CRLF payload, lengths, trailing newline', () => {
    const body = bytes(
      '{"event_id":"9ec79c33ec9942ab8353589fcb2e04dc","dsn":"https://e12d836b15bb49d7bbf99e64295d995b:@sentry.io/42"}\n',
      '{"type":"attachment","length":10,"content_type":"text/plain","filename":"hello.txt"}\n',
      Buffer.from([0xef, 0xbb, 0xbf]),
      'Hello\r\n\n',
      '{"type":"event","length":41,"content_type":"application/json","filename":"application.log"}\n',
      '{"message":"hello world","level":"error"}\n',
    );
    const envelope = parseEnvelope(body, INGEST_LIMITS);
    assert.equal(envelope.headers.event_id, '9ec79c33ec9942ab8353589fcb2e04dc');
    assert.equal(envelope.items.length, 2);
    const [attachment, event] = envelope.items;
    assert.equal(attachment.headers.type, 'attachment');
    assert.equal(attachment.headers.filename, 'hello.txt');
    assert.deepEqual(attachment.payload, bytes(Buffer.from([0xef, 0xbb, 0xbf]), 'Hello\r\n'));
    assert.equal(event.headers.type, 'event');
    assert.deepEqual(parseJsonObject(event.payload, 64), { message: 'hello world', level: 'error' });
  });

  it('parses a @sentry/node envelope: no lengths, no trailing newline', () => {
    const event =
      '{"exception":{"values":[{"type":"Error","value":"x"}]},"event_id":"f2d6021c60544f09bff5a5e0af3ee338"}';
    const body = bytes(
      '{"event_id":"f2d6021c60544f09bff5a5e0af3ee338","sent_at":"2026-11-22T08:04:41.171Z","sdk":{"name":"sentry.javascript.node","version":"11.12.0"}}\n',
      '{"type":"event"}\n',
      event,
    );
    const envelope = parseEnvelope(body, INGEST_LIMITS);
    assert.equal(envelope.items.length, 1);
    assert.deepEqual(envelope.items[0].headers, { type: 'event' });
    assert.equal(envelope.items[0].payload.toString(), event);
  });

  it('parses a sentry-cli envelope: dashed event_id, length, trailing newline', () => {
    const payload = '{"event_id":"c1c4cdb5a51d4ea99ba73aeab68e73bd","logentry":{"message":"héllo"}}';
    const length = Buffer.byteLength(payload);
    assert.notEqual(length, payload.length, 'the payload has a multi-byte character');
    const body = bytes(
      '{"event_id":"c1c4cdb5-a51d-4ea9-9ba7-3aeab68e73bd"}\n',
      `{"type":"event","length":${length}}\n`,
      payload,
      '\n',
    );
    const envelope = parseEnvelope(body, INGEST_LIMITS);
    assert.equal(normalizeEventId(envelope.headers.event_id), 'c1c4cdb5a51d4ea99ba73aeab68e73bd');
    assert.equal(envelope.items[0].payload.toString(), payload);
  });

  it('accepts an envelope with zero items, with or without a newline', () => {
    assert.deepEqual(parseEnvelope(Buffer.from('{}'), INGEST_LIMITS), { headers: {}, items: [] });
    assert.deepEqual(parseEnvelope(Buffer.from('{"sent_at":"x"}\n'), INGEST_LIMITS).items, []);
  });

  it('tolerates a whitespace-only remainder after the last item', () => {
    const envelope = parseEnvelope(
      Buffer.from('{}\n{"type":"session"}\n{"sid":"a"}\n\r\n  \n'),
      INGEST_LIMITS,
    );
    assert.equal(envelope.items.length, 1);
    assert.equal(envelope.items[0].payload.toString(), '{"sid":"a"}');
  });

  it('keeps unknown item types and their headers', () => {
    const body = bytes(
      '{}\n',
      '{"type":"future_thing","length":4,"shiny":true}\n',
      Buffer.from([0, 0x0a, 0xff, 1]),
      '\n{"type":"client_report"}\n{"discarded_events":[]}',
    );
    const envelope = parseEnvelope(body, INGEST_LIMITS);
    assert.deepEqual(
      envelope.items.map((i) => i.headers.type),
      ['future_thing', 'client_report'],
    );
    assert.equal(envelope.items[0].headers.shiny, true);
    assert.deepEqual(envelope.items[0].payload, Buffer.from([0, 0x0a, 0xff, 1]));
  });

  it('gives an empty payload to an item header at EOF or with length 0', () => {
    const envelope = parseEnvelope(Buffer.from('{}\n{"type":"a","length":0}\n\n{"type":"b"}'), INGEST_LIMITS);
    assert.deepEqual(
      envelope.items.map((i) => i.payload.length),
      [0, 0],
    );
  });

  it('treats a null length as absent', () => {
    const envelope = parseEnvelope(Buffer.from('{}\n{"type":"event","length":null}\n{}'), INGEST_LIMITS);
    assert.equal(envelope.items[0].payload.toString(), '{}');
    assert.equal('length' in envelope.items[0].headers, false);
  });

  describe('malformed', () => {
    const cases: [string, string | Buffer, string][] = [
      ['empty body', '', 'empty request body'],
      ['header not JSON', 'not json\n', 'invalid envelope header'],
      ['header is an array', '[1]\n', 'invalid envelope header'],
      ['header is null', 'null\n', 'invalid envelope header'],
      ['whitespace only', '  \n', 'invalid envelope header'],
      ['length past the body', '{}\n{"type":"event","length":100}\n{}', 'item length exceeds the envelope'],
      [
        'no newline after a length-delimited payload',
        '{}\n{"type":"event","length":2}\n{}X',
        'missing newline after item payload',
      ],
      ['item header without type', '{}\n{"length":2}\n{}', 'item header without a type'],
      ['item type not a string', '{}\n{"type":5}\n{}', 'item header without a type'],
      ['item header not JSON', '{}\n{"type":\n{}', 'invalid item header'],
      ['negative length', '{}\n{"type":"event","length":-1}\n{}', 'invalid item length'],
      ['fractional length', '{}\n{"type":"event","length":1.5}\n{}', 'invalid item length'],
      ['string length', '{}\n{"type":"event","length":"2"}\n{}', 'invalid item length'],
      ['blank line between items', '{}\n{"type":"a"}\nx\n\n{"type":"b"}\ny', 'invalid item header'],
      ['deeply nested header', `${'{"a":'.repeat(100)}1${'}'.repeat(100)}\n`, 'JSON nesting too deep'],
    ];
    for (const [name, body, message] of cases) {
      it(`rejects ${name} with 400 "${message}"`, () => {
        rejects(() => parseEnvelope(Buffer.from(body), INGEST_LIMITS), 'VALIDATION', message);
      });
    }
  });

  describe('limits', () => {
    const small: IngestLimits = {
      ...INGEST_LIMITS,
      maxEventBytes: 10,
      maxAttachmentsBytes: 25,
      maxEnvelopeBytes: 200,
    };
    const item = (type: string, payload: string) =>
      `{"type":"${type}","length":${payload.length}}\n${payload}\n`;

    it('rejects an event item over maxEventBytes with 413, length given or not', () => {
      rejects(
        () => parseEnvelope(Buffer.from(`{}\n${item('event', '{"a":"xxxx"}')}`), small),
        'PAYLOAD_TOO_LARGE',
        /event item/,
      );
      rejects(
        () => parseEnvelope(Buffer.from('{}\n{"type":"transaction"}\n{"a":"xxxx"}'), small),
        'PAYLOAD_TOO_LARGE',
        /event item/,
      );
      assert.equal(parseEnvelope(Buffer.from(`{}\n${item('event', '{"a":"xx"}')}`), small).items.length, 1);
    });

    it('allows only one event-like item', () => {
      rejects(
        () =>
          parseEnvelope(Buffer.from(`{}\n${item('event', '{}')}${item('transaction', '{}')}`), INGEST_LIMITS),
        'PAYLOAD_TOO_LARGE',
        'too many event items in the envelope',
      );
    });

    it('allows 30 attachments, not 31', () => {
      const envelope = (n: number) => Buffer.from(`{}\n${item('attachment', 'a').repeat(n)}`);
      assert.equal(parseEnvelope(envelope(30), INGEST_LIMITS).items.length, 30);
      rejects(
        () => parseEnvelope(envelope(31), INGEST_LIMITS),
        'PAYLOAD_TOO_LARGE',
        'too many attachment items in the envelope',
      );
    });

    it('caps the total of attachments', () => {
      rejects(
        () =>
          parseEnvelope(
            Buffer.from(`{}\n${item('attachment', 'x'.repeat(20))}${item('attachment', 'x'.repeat(10))}`),
            small,
          ),
        'PAYLOAD_TOO_LARGE',
        'attachment items exceed the total size limit',
      );
    });

    it('caps check-ins and client reports at their own sizes', () => {
      const limits = { ...INGEST_LIMITS, maxCheckInBytes: 5, maxClientReportBytes: 5 };
      rejects(
        () => parseEnvelope(Buffer.from(`{}\n${item('check_in', '{"a":1}')}`), limits),
        'PAYLOAD_TOO_LARGE',
        /check_in/,
      );
      rejects(
        () => parseEnvelope(Buffer.from(`{}\n${item('client_report', '{"a":1}')}`), limits),
        'PAYLOAD_TOO_LARGE',
        /client_report/,
      );
    });

    it('does not limit unknown item types beyond the envelope size', () => {
      assert.equal(
        parseEnvelope(Buffer.from(`{}\n${item('mystery', 'x'.repeat(100))}`), small).items.length,
        1,
      );
    });

    it('rejects an envelope over maxEnvelopeBytes', () => {
      rejects(
        () => parseEnvelope(Buffer.from(`{}\n${item('mystery', 'x'.repeat(300))}`), small),
        'PAYLOAD_TOO_LARGE',
        /envelope/,
      );
    });

    it('rejects too many sessions', () => {
      const limits = { ...INGEST_LIMITS, maxSessionCount: 2 };
      rejects(
        () => parseEnvelope(Buffer.from(`{}\n${item('session', '{}').repeat(3)}`), limits),
        'PAYLOAD_TOO_LARGE',
        'too many session items in the envelope',
      );
    });
  });
});

describe('normalizeEventId', () => {
  it('normalises 32 hex and dashed UUIDs to 32 lowercase hex', () => {
    assert.equal(normalizeEventId('9EC79C33EC9942AB8353589FCB2E04DC'), '9ec79c33ec9942ab8353589fcb2e04dc');
    assert.equal(
      normalizeEventId('C1C4CDB5-a51d-4ea9-9ba7-3aeab68e73bd'),
      'c1c4cdb5a51d4ea99ba73aeab68e73bd',
    );
  });

  it('returns null for anything else', () => {
    for (const v of [
      undefined,
      null,
      42,
      '',
      'xyz',
      '9ec79c33ec9942ab8353589fcb2e04d',
      '9ec79c33ec9942ab8353589fcb2e04dcc',
      'c1c4cdb5a51d-4ea9-9ba7-3aeab68e73bd',
      'g1c4cdb5-a51d-4ea9-9ba7-3aeab68e73bd',
      ' 9ec79c33ec9942ab8353589fcb2e04dc',
    ]) {
      assert.equal(normalizeEventId(v), null, String(v));
    }
  });
});

describe('parseJsonObject', () => {
  it('parses an object', () => {
    assert.deepEqual(parseJsonObject(Buffer.from(' {"a":[1,{"b":"}]{["}]} '), 64), { a: [1, { b: '}]{[' }] });
  });

  it('rejects bad JSON and non-objects', () => {
    rejects(() => parseJsonObject(Buffer.from('{"a":'), 64), 'VALIDATION', 'invalid JSON');
    rejects(() => parseJsonObject(Buffer.from(''), 64), 'VALIDATION', 'invalid JSON');
    for (const v of ['[]', 'null', '"s"', '1', 'true']) {
      rejects(() => parseJsonObject(Buffer.from(v), 64), 'VALIDATION', 'event payload must be a JSON object');
    }
  });

  it('allows exactly maxDepth levels and refuses one more', () => {
    const nested = (n: number) => Buffer.from(`${'{"a":'.repeat(n - 1)}{}${'}'.repeat(n - 1)}`);
    assert.ok(parseJsonObject(nested(64), 64));
    rejects(() => parseJsonObject(nested(65), 64), 'VALIDATION', 'JSON nesting too deep');
  });

  it('ignores brackets inside strings, including after escaped quotes and in long strings', () => {
    const inString = '['.repeat(200);
    const long = `${'x'.repeat(100)}\\\\\\"${'{'.repeat(100)}`;
    const json = Buffer.from(JSON.stringify({ a: inString, b: `q\\"[[[[`, c: long, d: [[[]]] }));
    assert.deepEqual(Object.keys(parseJsonObject(json, 4)), ['a', 'b', 'c', 'd']);
    // an escaped backslash before the closing quote must not hide the quote
    const tricky = Buffer.from(`{"a":"${'y'.repeat(80)}\\\\","b":${'['.repeat(10)}${']'.repeat(10)}}`);
    rejects(() => parseJsonObject(tricky, 5), 'VALIDATION', 'JSON nesting too deep');
  });

  it('refuses a million-deep array without overflowing the stack', () => {
    const deep = Buffer.from(`{"a":${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}}`);
    rejects(() => parseJsonObject(deep, 64), 'VALIDATION', 'JSON nesting too deep');
  });
});

describe('limits', () => {
  it('maps item types to size limits like Relay', () => {
    const itemBytes = (type: string) => itemGroupLimit(type, INGEST_LIMITS)?.itemBytes ?? Infinity;
    assert.equal(itemBytes('event'), 1024 * 1024);
    assert.equal(itemBytes('feedback'), 1024 * 1024);
    assert.equal(itemBytes('attachment'), 200 * 1024 * 1024);
    assert.equal(itemBytes('check_in'), 100 * 1024);
    assert.equal(itemBytes('log'), 12 * 1024 * 1024);
    assert.equal(itemBytes('profile_chunk'), 50 * 1024 * 1024);
    assert.equal(itemBytes('whatever'), Infinity);
  });

  it('counts only known item types by name; anything else is "unknown"', () => {
    assert.equal(outcomeItemType('sessions'), 'sessions');
    assert.equal(outcomeItemType('client_report'), 'client_report');
    assert.equal(outcomeItemType('x'.repeat(5000)), 'unknown');
    assert.equal(outcomeItemType('toString'), 'unknown');
  });
});
