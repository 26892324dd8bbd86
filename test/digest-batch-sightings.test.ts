import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { commitBatch } from '../src/digest/commit.ts';
import { prepareEvent } from '../src/digest/prepare.ts';
import { type OpenedTestStore, testBackends } from '../src/store/test-databases.ts';
import type { Project } from '../src/store/types.ts';

/**
 * Several events of one release in one group commit, as a burst under load commits them: the
 * release's first and last event are the batch's earliest and latest, whatever their order.
 */
const T0 = Date.UTC(2026, 10, 20, 12, 0, 0);
const MINUTE = 60_000;

for (const backend of testBackends()) {
  describe(`one batch, many sightings of a release (${backend.name})`, () => {
    let db: OpenedTestStore;
    let project: Project;
    let orgId: number;
    before(async () => {
      db = await backend.open();
      const org = await db.store.orgs.create({ slug: 'batch', name: 'Batch', now: T0 });
      orgId = org.id;
      project = await db.store.projects.create({
        orgId,
        slug: 'web',
        name: 'Web',
        platform: 'node',
        now: T0,
      });
    });
    after(() => db.cleanup());

    const event = (release: string, at: number) =>
      prepareEvent(
        {
          event_id: randomBytes(16).toString('hex'),
          timestamp: at / 1000,
          release,
          message: 'Cart total mismatch',
        },
        { project, receivedAt: T0 + 10 * MINUTE },
      );

    test('first and last event are the batch extremes, in any order', async () => {
      for (const [release, offsets] of [
        ['web@oldest-first', [0, 1, 2]],
        ['web@newest-first', [2, 1, 0]],
        ['web@middle-last', [0, 2, 1]],
      ] as const) {
        const events = offsets.map((m) => event(release, T0 + m * MINUTE));
        await commitBatch(db.store, events, [], { defer: false });
        const stored = await db.store.releases.get(orgId, release);
        assert.deepEqual([stored?.firstEvent, stored?.lastEvent], [T0, T0 + 2 * MINUTE], release);
      }
    });
  });
}
