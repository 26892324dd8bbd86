import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { IngestTx } from '../store/types.ts';
import { CounterAggregate } from './counters.ts';

const MINUTE = 60_000;
const T0 = Date.UTC(2026, 10, 22, 12, 0, 0);

interface Written {
  buckets: Parameters<IngestTx['addIssueBuckets']>[0];
  tags: Parameters<IngestTx['addTagValues']>[0];
}

/** What the aggregate writes, in a stable order so two aggregates can be compared. */
async function written(counters: CounterAggregate): Promise<Written> {
  const out: Written = { buckets: [], tags: [] };
  const tx = {
    async addIssueBuckets(rows) {
      out.buckets.push(...rows.map((row) => ({ ...row })));
    },
    async addTagValues(rows) {
      out.tags.push(...rows.map((row) => ({ ...row })));
    },
  } as Pick<IngestTx, 'addIssueBuckets' | 'addTagValues'> as IngestTx;
  await counters.write(tx);
  const order = (a: object, b: object) => JSON.stringify(a).localeCompare(JSON.stringify(b));
  out.buckets.sort(order);
  out.tags.sort(order);
  return out;
}

const events: [number, { projectId: number; timestamp: number; tags: [string, string][] }][] = [
  [
    1,
    {
      projectId: 7,
      timestamp: T0 + 5_000,
      tags: [
        ['level', 'error'],
        ['release', '1.0'],
      ],
    },
  ],
  [
    1,
    {
      projectId: 7,
      timestamp: T0 + 20_000,
      tags: [
        ['level', 'error'],
        ['release', '1.1'],
      ],
    },
  ],
  [1, { projectId: 7, timestamp: T0 + MINUTE + 1, tags: [['level', 'warning']] }],
  [2, { projectId: 7, timestamp: T0 + 1_000, tags: [['level', 'error']] }],
  // A value that, joined to its key, could be mistaken for another key and value.
  [2, { projectId: 7, timestamp: T0 + 2_000, tags: [['a', 'b\0c']] }],
  [2, { projectId: 7, timestamp: T0 + 3_000, tags: [['a\0b', 'c']] }],
];

test('one row per issue and minute, and per issue, key and value, with first and last seen', async () => {
  const counters = new CounterAggregate();
  for (const [issueId, event] of events) counters.add(issueId, event);
  const out = await written(counters);
  assert.deepEqual(out.buckets, [
    { issueId: 1, projectId: 7, start: T0, count: 2 },
    { issueId: 1, projectId: 7, start: T0 + MINUTE, count: 1 },
    { issueId: 2, projectId: 7, start: T0, count: 3 },
  ]);
  const level1 = out.tags.find((row) => row.issueId === 1 && row.key === 'level' && row.value === 'error');
  assert.deepEqual(level1, {
    issueId: 1,
    key: 'level',
    value: 'error',
    count: 2,
    firstSeen: T0 + 5_000,
    lastSeen: T0 + 20_000,
  });
  assert.equal(out.tags.length, 7);
  assert.equal(counters.rows, out.buckets.length + out.tags.length);
});

test('counting the same events again adds to the rows it has, and makes none', async () => {
  const once = new CounterAggregate();
  const twice = new CounterAggregate();
  for (const [issueId, event] of events) {
    once.add(issueId, event);
    twice.add(issueId, event);
  }
  for (const [issueId, event] of events) twice.add(issueId, event);
  assert.equal(twice.rows, once.rows);
  const [a, b] = [await written(once), await written(twice)];
  const doubled = (rows: { count: number }[]) => rows.map((row) => ({ ...row, count: row.count * 2 }));
  assert.deepEqual(b, { buckets: doubled(a.buckets), tags: doubled(a.tags) });
});
