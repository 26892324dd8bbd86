import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { SetupResult } from '../src/projects/setup-project.ts';
import { apiClient, sendEvent, startServerOn } from './helpers/issues.ts';
import type { TestServer } from './helpers/server.ts';

/**
 * U+0000 and lone surrogates, which PostgreSQL cannot store: in a Web API body they become
 * U+FFFD as in ingested events; in a path or query (`%00`) they are a 400. Both backends answer
 * alike and neither answers 500.
 */
for (const backend of ['sqlite', 'postgres'] as const)
  describe(`NUL and lone surrogates in Web API input (${backend})`, () => {
    let t: TestServer;
    let s: SetupResult;
    let api: ReturnType<typeof apiClient>;
    let issueId: string;

    before(async () => {
      t = await startServerOn(backend);
      s = await t.setup();
      api = apiClient(t.url, s.token);
      await sendEvent(t, s, { message: 'something broke' });
      issueId = (await api.get(`/api/0/projects/${s.org}/${s.project}/issues/`)).body[0].id;
    });
    after(() => t.close());

    test('in a JSON body they are stored as U+FFFD', async () => {
      const release = await api.post(`/api/0/organizations/${s.org}/releases/`, {
        version: 'web@nul\u0000x',
        projects: [s.project],
        ref: 'a\u0000b',
      });
      assert.equal(release.status, 201, JSON.stringify(release.body));
      assert.equal(release.body.version, 'web@nul\ufffdx');
      const note = await api.post(`/api/0/organizations/${s.org}/issues/${issueId}/comments/`, {
        text: 'sur\udc00note and nul\u0000',
      });
      assert.equal(note.status, 201, JSON.stringify(note.body));
      assert.equal(note.body.data.text, 'sur\ufffdnote and nul\ufffd');
      const deploy = await api.post(
        `/api/0/organizations/${s.org}/releases/${encodeURIComponent('web@nul\ufffdx')}/deploys/`,
        { environment: 'prod\u0000uction', name: 'a\u0000b' },
      );
      assert.equal(deploy.status, 201, JSON.stringify(deploy.body));
      assert.equal(deploy.body.environment, 'prod\ufffduction');
    });

    test('in a path or query they are a 400 with a detail', async () => {
      for (const path of [
        `/api/0/projects/${s.org}/${s.project}/issues/?query=a%00b`,
        `/api/0/projects/${s.org}/${s.project}/issues/?environment=a%00b`,
        `/api/0/organizations/${s.org}/events/?field=tags[a%00b]`,
        `/api/0/organizations/${s.org}%00/issues/`,
        `/api/0/organizations/${s.org}/releases/a%00b/`,
        `/api/0/organizations/${s.org}/issues/${issueId}/tags/a%00b/`,
      ]) {
        const answer = await api.get(path);
        assert.equal(answer.status, 400, `${path} → ${answer.status} ${JSON.stringify(answer.body)}`);
        assert.match(answer.body.detail, /NUL character/);
      }
      assert.equal((await api.get(`/api/0/projects/${s.org}/${s.project}/issues/`)).status, 200);
    });

    test('a path whose percent-escapes do not decode is a 400 with a detail', async () => {
      for (const path of [
        `/api/0/organizations/${s.org}/releases/%FF/`,
        `/api/0/organizations/${s.org}/releases/with%percent/`,
        '/api/0/organizations/%E0%A4%A/',
      ]) {
        const answer = await api.get(path);
        assert.equal(answer.status, 400, `${path} → ${answer.status} ${JSON.stringify(answer.body)}`);
        assert.match(answer.body.detail, /not a valid url component/);
        assert.deepEqual(Object.keys(answer.body), ['detail']);
      }
    });
  });
