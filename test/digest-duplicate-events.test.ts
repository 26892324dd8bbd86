import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { commitBatch } from '../src/digest/commit.ts';
import { type PreparedEvent, prepareEvent } from '../src/digest/prepare.ts';
import { type OpenedTestStore, testBackends } from '../src/store/test-databases.ts';
import type { Project } from '../src/store/types.ts';

/**
 * An event id is one event (Sentry keeps the first): a repeat with other content, in a later
 * batch or in the same one, is not grouped, so it creates no issue and links no hash.
 */
const T0 = Date.UTC(2026, 10, 23, 9, 0, 0);

function messageEvent(project: Project, eventId: string, message: string, at = T0): PreparedEvent {
  return prepareEvent({ event_id: eventId, timestamp: at / 1000, message }, { project, receivedAt: at });
}

for (const backend of testBackends()) {
  describe(`repeated event ids on ${backend.name}`, () => {
    let db: OpenedTestStore;
    let project: Project;
    before(async () => {
      db = await backend.open();
      const org = await db.store.orgs.create({ slug: 'dup', name: 'Dup', now: T0 });
      project = await db.store.projects.create({
        orgId: org.id,
        slug: 'web',
        name: 'web',
        platform: 'node',
        now: T0,
      });
    });
    after(() => db.cleanup());

    const issueTitles = async () => {
      const page = await db.store.issues.list({
        orgId: project.orgId,
        projectIds: [project.id],
        sort: 'date',
        limit: 100,
      });
      return page.issues.map((issue) => `${issue.title} ×${issue.timesSeen}`).sort();
    };

    test('a stored id sent again with other content changes nothing', async () => {
      const id = randomBytes(16).toString('hex');
      await commitBatch(db.store, [messageEvent(project, id, 'Ledger out of balance')], []);
      await commitBatch(db.store, [messageEvent(project, id, 'Something else entirely', T0 + 1000)], []);
      assert.deepEqual(await issueTitles(), ['Ledger out of balance ×1']);
      const [issue] = (await db.store.issues.list({ orgId: project.orgId, sort: 'date', limit: 1 })).issues;
      assert.equal((await db.store.events.get(project.id, id))?.issueId, issue.id);
    });

    test('within one batch the first of an id is kept', async () => {
      const id = randomBytes(16).toString('hex');
      const first = messageEvent(project, id, 'Cache stampede');
      await commitBatch(
        db.store,
        [first, messageEvent(project, id, 'Cache stampede'), messageEvent(project, id, 'Other')],
        [],
      );
      assert.deepEqual(await issueTitles(), ['Cache stampede ×1', 'Ledger out of balance ×1']);
    });
  });
}
