import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { commitBatch, countDeferredPart, type DeferredPart } from '../src/digest/commit.ts';
import { GroupCommitter } from '../src/digest/committer.ts';
import { recoverDeferredCounters } from '../src/digest/counter-recovery.ts';
import { COUNTER_PARTITIONS, CounterAggregate, counterPartition } from '../src/digest/counters.ts';
import { type PreparedEvent, prepareEvent } from '../src/digest/prepare.ts';
import { type OpenedTestStore, testBackends } from '../src/store/test-databases.ts';
import type { Project, Store } from '../src/store/types.ts';
import { rawSql } from './helpers/raw-sql.ts';

/**
 * Tag-value and bucket counts deferred under load (docs/decisions/0009-deferred-counters.md):
 * through the real GroupCommitter on both real databases, every event is counted exactly once,
 * whether its window is written by the committer, recovered after a "crash", or both race.
 */

/** A counter window holding these deferred parts' counts, as the committer keeps it. */
function windowOf(...parts: DeferredPart[]): CounterAggregate {
  const window = new CounterAggregate();
  for (const part of parts) countDeferredPart(part, window);
  return window;
}

const T0 = Date.UTC(2026, 10, 20, 12, 0, 0);

function eventFor(project: Project, environment: string, at: number): PreparedEvent {
  return prepareEvent(
    {
      event_id: randomBytes(16).toString('hex'),
      timestamp: at / 1000,
      level: 'error',
      environment,
      exception: { values: [{ type: 'TypeError', value: 'deferred boom' }] },
    },
    { project, receivedAt: at },
  );
}

async function environmentCounts(store: Store, issueId: number): Promise<Record<string, number>> {
  const rows = await store.issues.tagValues(issueId, 'environment');
  return Object.fromEntries(rows.map((row) => [row.value, row.count]));
}

async function bucketTotal(store: Store, issueId: number): Promise<number> {
  const buckets = await store.issues.buckets([issueId], 'minute', T0 - 3_600_000, T0 + 3_600_000);
  return (buckets.get(issueId) ?? []).reduce((sum, bucket) => sum + bucket.count, 0);
}

function committer(store: Store, counterWindowMs: number) {
  return new GroupCommitter(store, {
    // One request per transaction, so a batch is committed while the next ones still wait.
    batchSize: 1,
    batchDelayMs: 0,
    maxPendingEvents: 1000,
    counterWindowMs,
    onError: (error) => {
      throw error;
    },
  });
}

for (const backend of testBackends()) {
  describe(`deferred counters (${backend.name})`, () => {
    let db: OpenedTestStore;
    let project: Project;
    before(async () => {
      db = await backend.open();
      const org = await db.store.orgs.create({ slug: 'deferred', name: 'Deferred', now: T0 });
      project = await db.store.projects.create({
        orgId: org.id,
        slug: 'api',
        name: 'API',
        platform: 'node',
        now: T0,
      });
    });
    after(() => db.cleanup());

    const issueOf = async (event: PreparedEvent) =>
      (await db.store.events.get(project.id, event.eventId))!.issueId;

    test('the committer defers counts until the window is asked for, then writes them once', async () => {
      const c = committer(db.store, 60_000);
      const events = ['production', 'production', 'staging'].map((env, i) => eventFor(project, env, T0 + i));
      await Promise.all(events.map((event) => c.submit([event])));
      // Every request is acknowledged, every event committed; the counts wait in the window.
      const issueId = await issueOf(events[0]);
      assert.equal((await db.store.issues.getById(issueId))!.timesSeen, 3);
      assert.deepEqual(await environmentCounts(db.store, issueId), {});
      // What the Web API does before answering.
      await c.writeDeferredCounters();
      assert.deepEqual(await environmentCounts(db.store, issueId), { production: 2, staging: 1 });
      assert.equal(await bucketTotal(db.store, issueId), 3);
      // Nothing was left behind for recovery.
      assert.equal(await recoverDeferredCounters(db.store, Number.MAX_SAFE_INTEGER), 0);
      await c.close();
    });

    test('issues in different partitions defer into their own windows; a background pass writes every open one', async () => {
      let transactions = 0;
      const counted = new Proxy(db.store, {
        get(target, property) {
          if (property === 'ingestWrite') {
            return (...args: Parameters<Store['ingestWrite']>) => {
              transactions++;
              return target.ingestWrite(...args);
            };
          }
          const value = Reflect.get(target, property);
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
      const c = committer(counted, 60_000);
      // Different messages group apart: four issues with consecutive ids, one per partition.
      const events = ['alpha', 'bravo', 'charlie', 'delta'].map((word, i) =>
        prepareEvent(
          {
            event_id: randomBytes(16).toString('hex'),
            timestamp: (T0 + 400 + i) / 1000,
            environment: 'spread',
            message: `partitioned ${word}`,
          },
          { project, receivedAt: T0 + 400 + i },
        ),
      );
      const committed = await commitBatch(db.store, events, [], { defer: true });
      const issueIds = await Promise.all(events.map(issueOf));
      assert.deepEqual(
        committed.deferred.map((part) => part.partition).sort(),
        issueIds.map(counterPartition).sort(),
      );
      assert.equal(new Set(committed.deferred.map((part) => part.partition)).size, COUNTER_PARTITIONS);
      // Each part's id names its own events: writing one part leaves exactly the other three to recovery.
      const [first] = committed.deferred;
      await commitBatch(db.store, [], [], {
        defer: false,
        due: [{ ids: [first.id], counters: windowOf(first) }],
      });
      assert.equal(await recoverDeferredCounters(db.store, Number.MAX_SAFE_INTEGER), COUNTER_PARTITIONS - 1);
      for (const issueId of issueIds) assert.equal((await environmentCounts(db.store, issueId)).spread, 1);
      // Through the committer: one request per issue, so each window holds one batch.
      const more = events.map((e, i) => ({
        ...e,
        eventId: randomBytes(16).toString('hex'),
        timestamp: T0 + 410 + i,
      }));
      await Promise.all(more.map((event) => c.submit([event])));
      // The windows are not due for up to a minute: the pass writes them anyway, one per transaction.
      const before = transactions;
      await c.writeOpenWindowsGently();
      assert.ok(transactions - before <= COUNTER_PARTITIONS, `${transactions - before} transactions`);
      for (const issueId of issueIds) assert.equal((await environmentCounts(db.store, issueId)).spread, 2);
      assert.equal(await recoverDeferredCounters(db.store, Number.MAX_SAFE_INTEGER), 0);
      await c.close();
    });

    test('a window nobody asks for is written when its time is over', async () => {
      const c = committer(db.store, 50);
      const event = eventFor(project, 'timer', T0 + 5);
      await c.submit([event]);
      const issueId = await issueOf(event);
      for (let waited = 0; (await environmentCounts(db.store, issueId)).timer === undefined; waited += 20) {
        assert.ok(waited < 10_000, 'the window was never written');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      assert.equal((await environmentCounts(db.store, issueId)).timer, 1);
      assert.equal(await recoverDeferredCounters(db.store, Number.MAX_SAFE_INTEGER), 0);
      await c.close();
    });

    test('closing writes the open window', async () => {
      const c = committer(db.store, 60_000);
      const event = eventFor(project, 'closing', T0 + 6);
      await c.submit([event]);
      await c.close();
      assert.equal((await environmentCounts(db.store, await issueOf(event))).closing, 1);
    });

    test('a window that cannot be written (its issue deleted) fails no request; its other events are counted at once', async () => {
      const errors: unknown[] = [];
      const c = new GroupCommitter(db.store, {
        batchSize: 1,
        batchDelayMs: 0,
        maxPendingEvents: 1000,
        counterWindowMs: 60_000,
        onError: (error) => errors.push(error),
      });
      const doomed = eventFor(project, 'doomed', T0 + 8);
      await c.submit([doomed]);
      const doomedIssue = await issueOf(doomed);
      // A message event groups apart from the exception events of the other tests.
      const survivor = prepareEvent(
        {
          event_id: randomBytes(16).toString('hex'),
          timestamp: (T0 + 9) / 1000,
          environment: 'kept',
          message: 'kept apart',
        },
        { project, receivedAt: T0 + 9 },
      );
      await c.submit([survivor]);
      assert.equal(await db.store.issues.delete([doomedIssue]), 1);
      const third = eventFor(project, 'after', T0 + 10);
      const answered = c.submit([third]);
      // The window is due now, so the batch carrying `third` tries to write it, and fails on the
      // deleted issue; `third` is retried on its own and still acknowledged.
      await c.writeDeferredCounters();
      await answered;
      assert.ok(errors.length > 0, 'the failed window is logged');
      assert.equal((await environmentCounts(db.store, await issueOf(third))).after, 1);
      // The window's batches were recounted from their stored events at once: the survivor is
      // counted (the doomed event is gone), and nothing is left for recovery.
      assert.equal((await environmentCounts(db.store, await issueOf(survivor))).kept, 1);
      assert.equal(await recoverDeferredCounters(db.store, Number.MAX_SAFE_INTEGER), 0);
      await c.close();
    });

    test('a window 0 writes counts with every batch', async () => {
      const c = committer(db.store, 0);
      const event = eventFor(project, 'inline', T0 + 7);
      await c.submit([event]);
      assert.equal((await environmentCounts(db.store, await issueOf(event))).inline, 1);
      await c.close();
    });

    test('a deferred batch commits its event but not its counts', async () => {
      const event = eventFor(project, 'deferred', T0 + 10);
      const committed = await commitBatch(db.store, [event], [], { defer: true });
      assert.equal(committed.deferred.length, 1);
      const [part] = committed.deferred;
      const issueId = await issueOf(event);
      assert.equal((await environmentCounts(db.store, issueId)).deferred, undefined);
      // A later transaction writes the window it was given, and takes the batch with it.
      await commitBatch(db.store, [], [], {
        defer: false,
        due: [{ ids: [part.id], counters: windowOf(part) }],
      });
      assert.equal((await environmentCounts(db.store, issueId)).deferred, 1);
      assert.equal(await recoverDeferredCounters(db.store, Number.MAX_SAFE_INTEGER), 0);
    });

    test('a damaged deferred row is taken and reported, and does not block the batches after it', async () => {
      await rawSql(db.url, 'INSERT INTO deferred_counter_batches (created_at, events) VALUES ($1, $2)', [
        T0 + 400,
        'not json',
      ]);
      const events = [0, 1].map((i) => eventFor(project, 'after-damage', T0 + 401 + i));
      for (const event of events) await commitBatch(db.store, [event], [], { defer: true });
      // A stored event whose tags were damaged is still counted, without tags.
      if (backend.name === 'sqlite') {
        await rawSql(db.url, "UPDATE events SET tags = 'not json' WHERE event_id = $1", [events[1].eventId]);
      }
      const reported: number[][] = [];
      const counted = await recoverDeferredCounters(db.store, Number.MAX_SAFE_INTEGER, (ids) =>
        reported.push(ids),
      );
      assert.equal(counted, 2);
      assert.equal(reported.flat().length, 1);
      const issueId = await issueOf(events[0]);
      const expected = backend.name === 'sqlite' ? 1 : 2;
      assert.equal((await environmentCounts(db.store, issueId))['after-damage'], expected);
      assert.equal(await recoverDeferredCounters(db.store, Number.MAX_SAFE_INTEGER), 0);
    });

    test('a process that dies inside its window loses no count: recovery counts its batches', async () => {
      // What a killed process leaves: acknowledged events, their counts only recorded as deferred.
      const events = Array.from({ length: 3 }, (_, i) => eventFor(project, 'killed', T0 + 200 + i));
      for (const event of events) await commitBatch(db.store, [event], [], { defer: true });
      const issueId = await issueOf(events[0]);
      assert.equal((await environmentCounts(db.store, issueId)).killed, undefined);
      assert.equal(await recoverDeferredCounters(db.store, Number.MAX_SAFE_INTEGER), 3);
      assert.equal((await environmentCounts(db.store, issueId)).killed, 3);
      assert.equal((await bucketTotal(db.store, issueId)) >= 3, true);
      assert.equal(await recoverDeferredCounters(db.store, Number.MAX_SAFE_INTEGER), 0);
    });

    test('when recovery took part of a window, the live writer recounts the rest: each event once', async () => {
      const [first, second, third] = [0, 1, 2].map((i) => eventFor(project, 'race', T0 + 300 + i));
      const [a] = (await commitBatch(db.store, [first], [], { defer: true })).deferred;
      const [b] = (await commitBatch(db.store, [second], [], { defer: true })).deferred;
      const window = windowOf(a, b);
      // Another node (or a restart) counts the older batch first.
      assert.equal(await recoverDeferredCounters(db.store, first.receivedAt + 1), 1);
      await commitBatch(db.store, [third], [], {
        defer: false,
        due: [{ ids: [a.id, b.id], counters: window }],
      });
      const issueId = await issueOf(first);
      assert.equal((await environmentCounts(db.store, issueId)).race, 3);
    });
  });
}
