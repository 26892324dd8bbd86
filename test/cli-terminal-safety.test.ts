import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { apiClient } from './helpers/issues.ts';
import { run } from './helpers/run.ts';
import { startTestServer, type TestServer } from './helpers/server.ts';

/**
 * Text from event data, webhooks and runbooks reaches many CLI views. Whatever a view forgets to
 * clean, the real `firebreak` process never writes a character the terminal would act on.
 */
describe('CLI output is safe for a terminal', () => {
  let t: TestServer;
  before(async () => {
    t = await startTestServer();
  });
  after(() => t.close());

  // CSI colour, an OSC title ended by BEL, C1 CSI, a bidi override and its pop.
  const HOSTILE = 'Deploy \u001b[31mRED\u001b]0;pwned\u0007 \u009b2J \u202eevil\u202c done';

  test('escape sequences, C1 controls and bidi overrides are printed as visible \\u escapes', async () => {
    const s = await t.setup();
    const api = apiClient(t.url, s.token);
    const made = await api.post(`/api/0/organizations/${s.org}/runbooks/`, {
      title: 'Hostile',
      body: `# ${HOSTILE}\n\tindented line\n`,
      projects: [s.project],
    });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    const env = { FIREBREAK_URL: t.url, FIREBREAK_ORG: s.org, FIREBREAK_TOKEN: s.token };
    const cli = (...args: string[]) =>
      run(process.execPath, ['bin/firebreak.js', 'runbook', ...args], { env });

    const raw = await cli('show', made.body.id, '--raw');
    assert.equal(raw.code, 0, raw.stderr);
    assert.doesNotMatch(raw.stdout, /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
    assert.equal(
      raw.stdout,
      '# Deploy \\u001b[31mRED\\u001b]0;pwned\\u0007 \\u009b2J \\u202eevil\\u202c done\n\tindented line\n',
      'tabs and newlines stay; the rest is shown, not acted on',
    );

    // A runbook saved with Windows line endings comes back byte for byte.
    const crlf = await api.post(`/api/0/organizations/${s.org}/runbooks/`, {
      title: 'Windows',
      body: '# Win\r\n\r\nStep 1\r\n',
      projects: [s.project],
    });
    assert.equal((await cli('show', crlf.body.id, '--raw')).stdout, '# Win\r\n\r\nStep 1\r\n');

    const json = await cli('show', made.body.id, '--json');
    assert.equal(json.code, 0, json.stderr);
    assert.doesNotMatch(json.stdout, /[\u007f-\u009f\u202a-\u202e]/);
    assert.equal(
      JSON.parse(json.stdout).body,
      `# ${HOSTILE}\n\tindented line\n`,
      '--json carries the exact text',
    );
  });
});
