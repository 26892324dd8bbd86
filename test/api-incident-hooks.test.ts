import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startHttpReceiver } from './helpers/http-receiver.ts';
import { apiClient, memberWithToken, mintToken } from './helpers/issues.ts';
import { run } from './helpers/run.ts';
import { startTestServer, type TestServer } from './helpers/server.ts';

/** A real receiver that answers every request with `status` (and `headers`). */
async function receiver(status: number, headers: Record<string, string> = {}) {
  const r = await startHttpReceiver({ status, headers, body: 'nope' });
  return { url: `${r.url}/hook`, hits: () => r.requests.length, close: r.close };
}

/** A port that was just free: nothing listens there. */
async function closedPortUrl(): Promise<string> {
  const r = await receiver(200);
  await r.close();
  return r.url;
}

async function incidentIn(t: TestServer) {
  const s = await t.setup();
  const api = apiClient(t.url, s.token);
  const declared = await api.post(`/api/0/organizations/${s.org}/incidents/`, {
    title: 'Checkout down',
    services: [s.project],
  });
  assert.equal(declared.status, 201);
  return {
    s,
    api,
    base: `/api/0/organizations/${s.org}/incidents/INC-1/`,
    hookPath: `/api/0/projects/${s.org}/${s.project}/mitigation-hook/`,
  };
}

describe('mitigation hooks: failing webhooks, and command hooks off by default', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer({ settings: { incidentTickSeconds: 0 } });
  });
  after(() => t.close());

  test('a failing, unreachable or redirecting webhook is ok:false on the timeline; the mitigation stands', async () => {
    const { s, api, base, hookPath } = await incidentIn(t);
    const target = await receiver(200);
    const redirecting = await receiver(302, { Location: target.url });
    try {
      const cases: [string, RegExp][] = [
        [await closedPortUrl(), /could not be reached \(ECONNREFUSED\)/],
        [redirecting.url, /redirect, not followed/],
      ];
      for (const [url, detail] of cases) {
        assert.equal((await api.put(hookPath, { url })).status, 200);
        const answer = await api.post(`${base}mitigations/`, { type: 'scale_up' });
        assert.equal(answer.status, 201, JSON.stringify(answer.body));
        assert.equal(answer.body.hooks.length, 1);
        assert.equal(answer.body.hooks[0].ok, false);
        assert.match(answer.body.hooks[0].detail, detail);
      }
      assert.equal(target.hits(), 0, 'the redirect was not followed');
      const timeline = (await api.get(`${base}timeline/`)).body;
      assert.deepEqual(
        timeline
          .filter((e: any) => e.kind === 'mitigation' || e.kind === 'hook_result')
          .map((e: any) => e.kind),
        ['mitigation', 'hook_result', 'mitigation', 'hook_result'],
      );
      // No hooks for a mitigation recorded after the fact with runHooks: false.
      const quiet = await api.post(`${base}mitigations/`, { type: 'other', runHooks: false });
      assert.deepEqual(quiet.body.hooks, []);

      // The CLI records the mitigation too, and its exit code says the hook failed (a playbook's
      // "rollback failed → escalate" depends on it); without hooks it is 0.
      const env = { FIREBREAK_URL: t.url, FIREBREAK_ORG: s.org, FIREBREAK_TOKEN: s.token };
      const cli = (...args: string[]) =>
        run(process.execPath, ['bin/firebreak.js', 'incident', 'mitigate', 'INC-1', ...args], { env });
      const failed = await cli('--type', 'rollback', '--release', 'web@1');
      assert.equal(failed.code, 6, failed.stderr);
      assert.match(failed.stdout, /webhook hook for .*: FAILED — .*redirect, not followed/);
      assert.equal((await cli('--type', 'other', '--no-hooks')).code, 0);
      // Declared by hand, no linked issues: nothing to measure, so no verdict to resolve on.
      const verification = (await api.get(`${base}verification/`)).body;
      assert.equal(verification.verdict, 'no_data');
      const refused = await api.post(`${base}resolve/`, { rootCause: 'card network outage' });
      assert.equal(refused.status, 400);
      assert.match(refused.body.detail, /"resolved" verification \(no linked issues/);
    } finally {
      await target.close();
      await redirecting.close();
    }
  });

  test('hook settings: validation, merge, delete; a command is refused while the server does not allow it', async () => {
    const { api, hookPath } = await incidentIn(t);
    assert.equal((await api.get(hookPath)).body.configured, false);
    assert.equal((await api.put(hookPath, { url: 'ftp://example.com/x' })).status, 400);
    assert.equal((await api.put(hookPath, { url: 'https://example.com/x', secret: 'short' })).status, 400);
    assert.equal((await api.put(hookPath, { secret: 'long enough secret' })).status, 400);
    // fetch cannot send them, and its error would quote them on the timeline: refused, not echoed.
    const withPassword = await api.put(hookPath, { url: 'https://deploy:pw@example.com/hook' });
    assert.equal(withPassword.status, 400);
    assert.match(withPassword.body.detail, /^invalid url: no user or password in the URL/);
    assert.doesNotMatch(withPassword.body.detail, /deploy|pw@/);
    assert.equal((await api.put(hookPath, { url: 'not a url' })).status, 400);
    const set = await api.put(hookPath, { url: 'https://example.com/hook', secret: 'long enough secret' });
    assert.equal(set.status, 200);
    assert.equal(set.body.url, 'https://example.com/hook');
    assert.equal(set.body.hasSecret, true);
    const refused = await api.put(hookPath, { command: ['/bin/echo', '{incident}'] });
    assert.equal(refused.status, 403);
    assert.match(refused.body.detail, /FIREBREAK_ALLOW_MITIGATION_COMMANDS=1/);
    const kept = await api.put(hookPath, { secret: null });
    assert.deepEqual([kept.body.url, kept.body.hasSecret], ['https://example.com/hook', false]);
    assert.equal((await api.delete(hookPath)).status, 204);
    assert.equal((await api.delete(hookPath)).status, 404);
    assert.equal((await api.get(hookPath)).body.configured, false);
  });
});

describe('mitigation hooks: commands, when the server allows them', () => {
  let t: TestServer;
  let dir: string;
  before(async () => {
    t = await startTestServer({ settings: { incidentTickSeconds: 0, allowMitigationCommands: true } });
    dir = mkdtempSync(join(tmpdir(), 'firebreak-hook-'));
  });
  after(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('runs argv without a shell, placeholders filled per argument; exit codes are results', async () => {
    const { s, api, base, hookPath } = await incidentIn(t);
    const out = join(dir, 'argv.json');
    const script =
      "require('fs').writeFileSync(process.argv[1], JSON.stringify({ argv: process.argv.slice(2), env: Object.keys(process.env).sort() })); console.log('deploy queued')";
    const command = [
      process.execPath,
      '-e',
      script,
      out,
      '{incident}',
      '--release={release}',
      '{project}',
      '{environment}',
      '{type}',
      '$(id) {owner}',
    ];

    // project:write is not enough to set a command: it runs on the server.
    const writer = apiClient(t.url, await mintToken(t, { org: s.org, scopes: ['project:write'] }));
    assert.equal((await writer.put(hookPath, { command })).status, 403);
    const admin = await memberWithToken(t, s.org, 'Member', 'member');
    const memberApi = apiClient(
      t.url,
      await mintToken(t, { org: s.org, scopes: ['project:admin'], userId: admin.user.id }),
    );
    assert.equal((await memberApi.put(hookPath, { command })).status, 403, "a member's role caps the token");
    assert.equal((await api.put(hookPath, { command: [process.execPath, '{nope}'] })).status, 400);
    const set = await api.put(hookPath, { command });
    assert.equal(set.status, 200, JSON.stringify(set.body));
    assert.deepEqual(set.body.command, command);

    for (const option of [{ release: '--force' }, { environment: '-e' }, { owner: '--version' }]) {
      const refused = await api.post(`${base}mitigations/`, { type: 'rollback', ...option });
      assert.equal(refused.status, 400, JSON.stringify(option));
      assert.match(refused.body.detail, /must not start with "-"/);
    }
    const answer = await api.post(`${base}mitigations/`, {
      type: 'rollback',
      release: 'web@1.4.1',
      environment: 'staging',
      owner: 'Ada; rm -rf /',
    });
    assert.equal(answer.status, 201, JSON.stringify(answer.body));
    // The output is an excerpt, which the token that set the command may read.
    assert.deepEqual(
      answer.body.hooks.map(({ durationMs: _, ...hook }: any) => hook),
      [
        {
          project: s.project,
          hook: 'command',
          ok: true,
          status: 0,
          detail: 'exit 0',
          excerpt: 'deploy queued',
        },
      ],
    );
    const written = JSON.parse(readFileSync(out, 'utf8'));
    assert.deepEqual(written.argv, [
      'INC-1',
      '--release=web@1.4.1',
      s.project,
      'staging',
      'rollback',
      '$(id) Ada; rm -rf /',
    ]);
    // Only PATH, HOME and the placeholders: the server's environment (secrets) is not passed on.
    assert.deepEqual(
      written.env.filter((k: string) => !['PATH', 'HOME'].includes(k)),
      [
        'FIREBREAK_ENVIRONMENT',
        'FIREBREAK_INCIDENT',
        'FIREBREAK_MITIGATION',
        'FIREBREAK_ORG',
        'FIREBREAK_OWNER',
        'FIREBREAK_PROJECT',
        'FIREBREAK_RELEASE',
        'FIREBREAK_TYPE',
      ],
    );
    assert.ok(process.env.PATH && written.env.includes('PATH'));

    await api.put(hookPath, {
      command: [process.execPath, '-e', 'console.error("no such release"); process.exit(3)'],
    });
    const failed = await api.post(`${base}mitigations/`, { type: 'hotfix', release: 'web@1.4.2' });
    assert.deepEqual(
      [
        failed.body.hooks[0].ok,
        failed.body.hooks[0].status,
        failed.body.hooks[0].detail,
        failed.body.hooks[0].excerpt,
      ],
      [false, 3, 'exit 3', 'no such release'],
    );
    await api.put(hookPath, { command: [join(dir, 'missing-program')] });
    const missing = await api.post(`${base}mitigations/`, { type: 'other' });
    assert.match(missing.body.hooks[0].detail, /cannot run .*ENOENT/);
    const results = (await api.get(`${base}timeline/`)).body.filter((e: any) => e.kind === 'hook_result');
    assert.deepEqual(
      results.map((e: any) => e.data.ok),
      [true, false, false],
    );
  });
});

describe('mitigation hooks: what a reply shows, and to whom', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer({ settings: { incidentTickSeconds: 0, allowMitigationCommands: true } });
  });
  after(() => t.close());

  const REPLY =
    'deploy failed: db at 10.9.8.7 refused login password=hunter2 Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.abc';

  test("a webhook's reply is scrubbed, cut short, and shown only to those who may configure the hook", async () => {
    const { s, api, base, hookPath } = await incidentIn(t);
    const r = await startHttpReceiver({ status: 500, body: `${REPLY} ${'x'.repeat(3000)}` });
    try {
      assert.equal((await api.put(hookPath, { url: `${r.url}/hook` })).status, 200);
      // An on-call engineer who may record mitigations but not configure the project's hook.
      const responder = apiClient(t.url, await mintToken(t, { org: s.org, scopes: ['incident:write'] }));
      const reader = apiClient(t.url, await mintToken(t, { org: s.org, scopes: ['incident:read'] }));
      const answer = await responder.post(`${base}mitigations/`, { type: 'rollback', release: 'web@1' });
      assert.equal(answer.status, 201, JSON.stringify(answer.body));
      const [hook] = answer.body.hooks;
      assert.deepEqual([hook.ok, hook.status], [false, 500]);
      assert.match(hook.detail, /^127\.0\.0\.1:\d+ answered 500$/);
      assert.equal(hook.excerpt, null);
      assert.equal(typeof hook.durationMs, 'number');
      for (const who of [responder, reader]) {
        for (const path of [`${base}timeline/`, `${base}mitigations/`]) {
          const shown = JSON.stringify((await who.get(path)).body);
          assert.match(shown, /answered 500/, path);
          assert.doesNotMatch(shown, /deploy failed|10\.9\.8\.7|hunter2|eyJhbG/, path);
        }
      }
      // Whoever may configure the hook (project:write) sees a short, scrubbed excerpt.
      const configurer = apiClient(
        t.url,
        await mintToken(t, { org: s.org, scopes: ['incident:read', 'project:write'] }),
      );
      const [listed] = (await configurer.get(`${base}mitigations/`)).body[0].hooks;
      assert.match(listed.detail, /^127\.0\.0\.1:\d+ answered 500$/);
      assert.match(listed.excerpt, /^deploy failed: db at 10\.9\.8\.7 refused login password=\[Filtered\]/);
      assert.doesNotMatch(listed.excerpt, /hunter2|eyJhbG/);
      assert.ok(listed.excerpt.length <= 301, listed.excerpt.length);
      const entry = (await configurer.get(`${base}timeline/`)).body.find(
        (e: any) => e.kind === 'hook_result',
      );
      assert.equal(entry.data.excerpt, listed.excerpt);
      assert.doesNotMatch(entry.body, /deploy failed/, 'the entry text is the status alone');
    } finally {
      await r.close();
    }
  });

  test("a command's output is shown only to those who may set commands; rows written before stay readable", async () => {
    const { s, api, base, hookPath } = await incidentIn(t);
    const command = [process.execPath, '-e', `console.error(${JSON.stringify(REPLY)}); process.exit(3)`];
    assert.equal((await api.put(hookPath, { command })).status, 200);
    const writer = apiClient(
      t.url,
      await mintToken(t, { org: s.org, scopes: ['incident:write', 'project:write'] }),
    );
    const answer = await writer.post(`${base}mitigations/`, { type: 'scale_up' });
    assert.equal(answer.status, 201, JSON.stringify(answer.body));
    assert.deepEqual(
      [answer.body.hooks[0].status, answer.body.hooks[0].detail, answer.body.hooks[0].excerpt],
      [3, 'exit 3', null],
      'project:write may set a webhook, not a command: no output',
    );
    const [own] = (await api.get(`${base}mitigations/`)).body[0].hooks;
    assert.match(own.excerpt, /^deploy failed: db at 10\.9\.8\.7 refused login password=\[Filtered\]/);
    // org:admin alone may not set a command either (it also takes project:write): no output.
    const orgAdmin = apiClient(
      t.url,
      await mintToken(t, { org: s.org, scopes: ['incident:read', 'org:admin'] }),
    );
    assert.equal((await orgAdmin.put(hookPath, { command: ['true'] })).status, 403);
    assert.equal((await orgAdmin.get(`${base}mitigations/`)).body[0].hooks[0].excerpt, null);

    // A hook_result written by an earlier version: the whole answer in the detail and the text.
    const incident = (await api.get(base)).body;
    const mitigationId = (await api.get(`${base}mitigations/`)).body[0].id;
    const legacyDetail = `hooks.example.com answered 502: ${REPLY}`;
    await t.server.ctx.store.timeline.add(
      Number(incident.id),
      [
        {
          kind: 'hook_result',
          body: `Webhook hook for ${s.project}: failed — ${legacyDetail}`,
          data: {
            project: s.project,
            hook: 'webhook',
            ok: false,
            status: 502,
            detail: legacyDetail,
            mitigationEntryId: Number(mitigationId),
          },
          actor: 'system',
          occurredAt: Date.now(),
        },
      ],
      Date.now(),
    );
    const reader = apiClient(t.url, await mintToken(t, { org: s.org, scopes: ['incident:read'] }));
    const timeline = (await reader.get(`${base}timeline/`)).body.filter((e: any) => e.kind === 'hook_result');
    const legacy = timeline.at(-1);
    assert.equal(legacy.body, `Webhook hook for ${s.project}: failed — hooks.example.com answered 502`);
    assert.equal(legacy.data.detail, 'hooks.example.com answered 502');
    assert.equal(legacy.data.excerpt, undefined);
    assert.doesNotMatch(JSON.stringify(timeline), /deploy failed|hunter2/);
    const mine = (await api.get(`${base}mitigations/`)).body[0].hooks.at(-1);
    assert.equal(mine.detail, 'hooks.example.com answered 502');
    assert.match(mine.excerpt, /password=\[Filtered\]/);
  });
});
