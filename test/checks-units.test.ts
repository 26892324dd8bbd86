import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { generateOrgToken } from '../src/auth/tokens.ts';
import { checkpointOf, deltaBetween } from '../src/checks/checkpoint.ts';
import { healthSnapshot } from '../src/checks/health-snapshot.ts';
import type { IssueRow } from '../src/checks/issue-list.ts';
import { cleanText, maskDsn, maskToken, parseDsn } from '../src/checks/mask.ts';
import { checkOptionsFrom } from '../src/checks/options.ts';
import { compareNaming, manifestVersion, versionOf } from '../src/checks/release-naming.ts';
import { CHECK_OUTPUT_JSON_SCHEMA } from '../src/checks/schemas.ts';
import { triageChecklist } from '../src/checks/triage-order.ts';
import { validateJsonSchema } from './helpers/check-json-schema.ts';
import { runCheck } from './helpers/check-run.ts';

const NOW = Date.parse('2026-07-01T12:00:00Z');
const ago = (hours: number) => new Date(NOW - hours * 3_600_000).toISOString();
let next = 0;
function issue(fields: Partial<IssueRow>): IssueRow {
  next++;
  return {
    id: String(next),
    shortId: `WEB-${next}`,
    title: `issue ${next}`,
    level: 'error',
    substatus: 'ongoing',
    events: 1,
    users: 0,
    firstSeen: ago(24 * 30),
    lastSeen: ago(1),
    assignedTo: null,
    firstRelease: null,
    lastRelease: null,
    hourly: [],
    ...fields,
  };
}

describe('issue-triage order', () => {
  test('regressed/escalating, then new, then ongoing; then level, users, events; same input in any order, same checklist', () => {
    const issues = [
      issue({ shortId: 'A', level: 'warning', substatus: 'regressed' }),
      issue({ shortId: 'B', level: 'fatal', substatus: 'ongoing', users: 50 }),
      issue({ shortId: 'C', level: 'error', substatus: 'new', users: 2, events: 5 }),
      issue({ shortId: 'D', level: 'error', substatus: 'new', users: 2, events: 9 }),
      issue({ shortId: 'E', level: 'fatal', substatus: 'new', users: 0 }),
      issue({ shortId: 'F', level: 'error', substatus: 'escalating' }),
      issue({ shortId: 'G', level: 'error', substatus: null, users: 50 }),
      issue({ shortId: 'H', level: 'error', substatus: 'new', users: 2, events: 9, lastSeen: ago(0.5) }),
    ];
    const order = (list: IssueRow[]) =>
      triageChecklist(list, { max: 20, latestEventCommand: (i) => `show ${i.shortId}` }).items.map(
        (i) => i.shortId,
      );
    assert.deepEqual(order(issues), ['F', 'A', 'E', 'H', 'D', 'C', 'B', 'G']);
    for (let round = 0; round < 5; round++) {
      const shuffled = [...issues].sort(() => Math.random() - 0.5);
      assert.deepEqual(order(shuffled), order(issues));
    }
    const { items, omitted } = triageChecklist(issues, { max: 3, latestEventCommand: () => 'x' });
    assert.deepEqual([items.length, omitted], [3, 5]);
    assert.match(items[0].action, /unassigned: give it an owner$/);
  });
});

describe('prod-health snapshot thresholds', () => {
  test('spiking, stale high-volume, new in 24h, levels', () => {
    const hourly = (last: number, before = 0) => [...Array(23).fill(before), last];
    const listing = {
      complete: true,
      smokeTestIssues: 0,
      issues: [
        issue({ shortId: 'SPIKE', hourly: hourly(10), events: 10 }),
        issue({ shortId: 'STEADY', hourly: hourly(10, 4), events: 102 }),
        issue({ shortId: 'SMALL', hourly: hourly(9), events: 9, level: 'fatal' }),
        issue({ shortId: 'STALE', events: 100, firstSeen: ago(24 * 8) }),
        issue({ shortId: 'OWNED', events: 500, firstSeen: ago(24 * 8), assignedTo: 'team:sre' }),
        issue({ shortId: 'YOUNG', events: 500, firstSeen: ago(23), level: 'default' }),
      ],
    };
    const data = healthSnapshot(listing, NOW);
    assert.deepEqual(
      data.spiking.map((i) => i.shortId),
      ['SPIKE'],
    );
    assert.deepEqual(
      data.staleHighVolume.map((i) => i.shortId),
      ['STEADY', 'STALE'],
    );
    assert.equal(data.new24h, 1);
    assert.deepEqual(data.byLevel, { fatal: 1, error: 4, warning: 0, info: 0, debug: 0, other: 1 });
    assert.equal(data.events24h, 10 + 23 * 4 + 10 + 9);
    assert.deepEqual(data.topByEvents.map((i) => i.shortId).slice(0, 2), ['OWNED', 'YOUNG']);
  });
});

describe('verify-loop checkpoint deltas', () => {
  test('new and gone issues, events since, rates; a capped listing leaves "resolved" unknown', () => {
    const target = { url: 'http://x', org: 'acme', project: 'web' };
    const a = issue({ events: 10 });
    const b = issue({ events: 3 });
    const before = checkpointOf(
      target,
      { issues: [a, b], complete: true, smokeTestIssues: 0 },
      13,
      NOW - 2 * 3_600_000,
    );
    const c = issue({ events: 4, title: 'fresh' });
    const after = checkpointOf(
      target,
      { issues: [{ ...a, events: 16 }, c], complete: true, smokeTestIssues: 0 },
      20,
      NOW,
    );
    const delta = deltaBetween(before, after);
    assert.deepEqual(
      delta.newIssues.map((i) => i.title),
      ['fresh'],
    );
    assert.deepEqual(
      delta.resolvedIssues?.map((i) => i.id),
      [b.id],
    );
    assert.deepEqual([delta.eventsSince, delta.eventsPerHour, delta.hoursElapsed], [10, 5, 2]);
    assert.deepEqual([delta.events24hBefore, delta.events24hNow], [13, 20]);
    assert.deepEqual(
      delta.fastestGrowing.map((g) => [g.shortId, g.newEvents]),
      [
        [a.shortId, 6],
        [c.shortId, 4],
      ],
    );
    const capped = checkpointOf(target, { issues: [a], complete: false, smokeTestIssues: 0 }, 0, NOW);
    assert.equal(deltaBetween(before, capped).resolvedIssues, null);
  });
});

describe('release naming', () => {
  test('versions out of release names, tags and manifests', () => {
    assert.equal(versionOf('web@1.4.0'), '1.4.0');
    assert.equal(versionOf('web@1.4.0+42'), '1.4.0');
    assert.equal(versionOf('v2.0.1-rc.1'), '2.0.1-rc.1');
    assert.equal(versionOf('web-v3.1'), '3.1');
    assert.equal(versionOf('nightly'), null);
    const manifest = { file: 'package.json', name: 'web', version: '1.4.0' };
    const git = {
      head: 'abcdef1234567890abcdef1234567890abcdef12',
      tagOnHead: 'v1.4.0',
      latestTag: 'v1.4.0',
    };
    assert.deepEqual(
      compareNaming('web@1.4.0', manifest, git).map((c) => c.consistent),
      [true, true],
    );
    assert.deepEqual(
      compareNaming('web@1.5.0', manifest, git).map((c) => c.consistent),
      [false, false],
    );
    assert.deepEqual(
      compareNaming('abcdef123456', manifest, git).map((c) => [c.source, c.consistent]),
      [['git HEAD', true]],
    );
    assert.deepEqual(
      compareNaming('web@abcdef1', manifest, git).map((c) => [c.source, c.consistent]),
      [['git HEAD', true]],
      'a package and a short commit, as docs/sentry-cli.md names releases',
    );
    assert.deepEqual(
      compareNaming('web@fedcba9', manifest, git).map((c) => [c.source, c.consistent]),
      [['git HEAD', false]],
    );
    assert.deepEqual(
      compareNaming('20240601', manifest, git).map((c) => [c.source, c.consistent]),
      [
        ['package.json', false],
        ['git tag on HEAD', false],
      ],
      'all digits and not HEAD: a build number, compared as a version',
    );
  });

  test('manifest versions of npm, Tauri, Python, Rust and Maven projects', () => {
    const root = mkdtempSync(join(tmpdir(), 'firebreak-naming-'));
    try {
      const versionIn = (file: string, content: string) => {
        rmSync(root, { recursive: true, force: true });
        mkdirSync(join(root, 'src-tauri'), { recursive: true });
        writeFileSync(join(root, file), content);
        return manifestVersion(root)?.version ?? null;
      };
      assert.equal(versionIn('package.json', '{"name":"web","version":"1.2.3"}'), '1.2.3');
      assert.equal(
        versionIn('src-tauri/tauri.conf.json', '{"productName":"app","version":"0.9.0"}'),
        '0.9.0',
      );
      assert.equal(
        versionIn(
          'pyproject.toml',
          '[build-system]\nrequires = ["x"]\n\n[project]\nname = "api"\nversion = "4.5.6"\n',
        ),
        '4.5.6',
      );
      assert.equal(
        versionIn(
          'Cargo.toml',
          '[package]\nname = "tool"\nversion = "0.3.0"\n\n[dependencies]\nsentry = "0.34"\n',
        ),
        '0.3.0',
      );
      assert.equal(
        versionIn(
          'pom.xml',
          '<project><parent><version>9.9.9</version></parent><artifactId>svc</artifactId><version>2.1.0</version><dependencies><dependency><version>1.0</version></dependency></dependencies></project>',
        ),
        '2.1.0',
      );
      assert.equal(versionIn('package.json', 'not json'), null);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('masking and untrusted text', () => {
  test('tokens and DSNs keep only a recognisable stub; control characters never reach the terminal', () => {
    assert.equal(maskToken(`sntryu_${'a'.repeat(60)}beef`), 'sntryu_…beef');
    assert.equal(maskToken('short'), '…');
    const dsn =
      'https://0123456789abcdef0123456789abcdef:fedcba9876543210fedcba9876543210@o1.ingest.sentry.io/sub/42';
    assert.equal(maskDsn(dsn), 'https://0123…@o1.ingest.sentry.io/sub/42');
    assert.deepEqual(
      { ...parseDsn(dsn), publicKey: undefined, secretKey: undefined },
      {
        protocol: 'https',
        host: 'o1.ingest.sentry.io',
        pathPrefix: '/sub',
        projectId: '42',
        publicKey: undefined,
        secretKey: undefined,
      },
    );
    assert.equal(parseDsn('not a dsn'), null);
    assert.equal(cleanText('boom\u001b[31m red\u0007\nline'), 'boom [31m red line');
    assert.equal(cleanText('x'.repeat(200), 10), `${'x'.repeat(9)}…`);
  });
});

describe('options', () => {
  test('flags over environment over an organisation token over the default', () => {
    const orgToken = generateOrgToken({ url: 'http://fb.internal:8000', org: 'acme', now: NOW });
    const fromToken = checkOptionsFrom({ mode: 'all' }, { SENTRY_AUTH_TOKEN: orgToken }, '/');
    assert.deepEqual(
      [fromToken.url, fromToken.org, fromToken.orgSource],
      ['http://fb.internal:8000', 'acme', 'the organisation token'],
    );
    const fromEnv = checkOptionsFrom(
      { mode: 'all' },
      { SENTRY_AUTH_TOKEN: orgToken, SENTRY_URL: 'https://sentry.example.com/', SENTRY_ORG: 'other' },
      '/',
    );
    assert.deepEqual([fromEnv.url, fromEnv.org], ['https://sentry.example.com', 'other']);
    const fromFlags = checkOptionsFrom(
      { mode: 'all', url: 'http://127.0.0.1:9', org: 'flag' },
      { SENTRY_URL: 'https://x' },
      '/',
    );
    assert.deepEqual([fromFlags.url, fromFlags.org], ['http://127.0.0.1:9', 'flag']);
    // Only a Sentry token with nothing else named goes to sentry.io, as with sentry-cli.
    assert.equal(checkOptionsFrom({ mode: 'all' }, { SENTRY_AUTH_TOKEN: 's' }, '/').url, 'https://sentry.io');
    assert.equal(checkOptionsFrom({ mode: 'all' }, {}, '/').url, 'http://127.0.0.1:8000');
    const both = checkOptionsFrom({ mode: 'all' }, { FIREBREAK_TOKEN: 'f', SENTRY_AUTH_TOKEN: 's' }, '/');
    assert.deepEqual(
      [both.token, both.tokenSource, both.url],
      ['f', 'FIREBREAK_TOKEN', 'http://127.0.0.1:8000'],
    );
    // The environment every other firebreak command reads counts here too, before Sentry's.
    const firebreakEnv = checkOptionsFrom(
      { mode: 'all' },
      {
        FIREBREAK_TOKEN: 'f',
        FIREBREAK_URL: 'http://fb:8000',
        FIREBREAK_ORG: 'acme',
        SENTRY_URL: 'https://x',
        SENTRY_ORG: 'o',
      },
      '/',
    );
    assert.deepEqual(
      [firebreakEnv.url, firebreakEnv.urlSource, firebreakEnv.org, firebreakEnv.orgSource],
      ['http://fb:8000', 'FIREBREAK_URL', 'acme', 'FIREBREAK_ORG'],
    );
    assert.throws(() => checkOptionsFrom({}, {}, '/'), /--mode is required/);
    assert.throws(() => checkOptionsFrom({ mode: 'everything' }, {}, '/'), /unknown --mode/);
    assert.throws(() => checkOptionsFrom({ mode: 'all', url: 'ftp://x' }, {}, '/'), /http or https/);
    assert.throws(
      () =>
        checkOptionsFrom(
          { mode: 'all', 'auto-slug-discovery': true, 'no-auto-slug-discovery': true },
          {},
          '/',
        ),
      /contradict/,
    );
  });
});

describe('the --json schema', () => {
  test('--json-schema prints the published schema; the validator refuses a document that breaks it', async () => {
    const printed = await runCheck(['--json-schema']);
    assert.deepEqual(JSON.parse(printed.out), CHECK_OUTPUT_JSON_SCHEMA);
    const doc = (await runCheck(['--mode', 'setup-preflight', '--repo-root', '/nonexistent', '--json'])).json;
    assert.deepEqual(validateJsonSchema(CHECK_OUTPUT_JSON_SCHEMA, doc), []);
    assert.notDeepEqual(validateJsonSchema(CHECK_OUTPUT_JSON_SCHEMA, { ...doc, status: 'OK' }), []);
    assert.notDeepEqual(validateJsonSchema(CHECK_OUTPUT_JSON_SCHEMA, { ...doc, extra: 1 }), []);
    const { evidence: _gone, ...missing } = doc;
    assert.notDeepEqual(validateJsonSchema(CHECK_OUTPUT_JSON_SCHEMA, missing), []);
    const wrongData = structuredClone(doc);
    wrongData.checks[0].data = { sdks: 'none' };
    assert.notDeepEqual(validateJsonSchema(CHECK_OUTPUT_JSON_SCHEMA, wrongData), []);
  });
});
