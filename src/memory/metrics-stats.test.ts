import assert from 'node:assert/strict';
import { test } from 'node:test';
import { monthsBetween, statOf } from './metrics-stats.ts';
import type { IncidentSignature, IssueMark } from './signature.ts';
import { compareSignatures, rankSimilar, scoreOf } from './similarity.ts';

test('median and nearest-rank p90', () => {
  assert.deepEqual(statOf([]), { count: 0, median: null, p90: null });
  assert.deepEqual(statOf([5]), { count: 1, median: 5, p90: 5 });
  assert.deepEqual(statOf([4, 1, 3, 2]), { count: 4, median: 2.5, p90: 4 });
  const ten = Array.from({ length: 10 }, (_, i) => i + 1);
  assert.deepEqual(statOf(ten), { count: 10, median: 5.5, p90: 9 });
  assert.deepEqual(statOf([...ten, 11]), { count: 11, median: 6, p90: 10 });
});

test('months of a period cross year ends', () => {
  assert.deepEqual(monthsBetween(Date.UTC(2025, 10, 20), Date.UTC(2026, 1, 1)), [
    '2025-11',
    '2025-12',
    '2026-01',
    '2026-02',
  ]);
});

const mark = (issueId: number, extra: Partial<IssueMark> = {}): IssueMark => ({
  issueId,
  projectId: 1,
  shortId: `WEB-${issueId}`,
  title: 't',
  hashes: [`h${issueId}`],
  frame: null,
  components: [],
  ...extra,
});

const signature = (issues: IssueMark[], extra: Partial<IncidentSignature> = {}): IncidentSignature => ({
  version: 1,
  componentTag: 'service',
  services: [],
  issues,
  projectIds: [...new Set(issues.map((i) => i.projectId))],
  components: [...new Set(issues.flatMap((i) => i.components))],
  ...extra,
});

test('likeness reasons: shared issue or grouping hash, frame, component, project; ranking', () => {
  const frame = { file: 'src/cart.js', function: 'checkout' };
  const current = signature([mark(1, { frame, components: ['cart'] })]);
  const same = compareSignatures(current, signature([mark(1, { frame, components: ['cart'] })]), String);
  assert.deepEqual(
    same.map((r) => [r.kind, r.detail]),
    [
      ['same_issue', 'same issue WEB-1'],
      ['same_frame', 'same top frame src/cart.js in checkout'],
      ['same_component', 'same component cart'],
      ['same_project', 'same project 1'],
    ],
  );
  assert.equal(scoreOf(same), 15);
  const moved = compareSignatures(current, signature([mark(9, { projectId: 2, hashes: ['h1'] })]), String);
  assert.deepEqual(
    moved.map((r) => [r.kind, r.via, r.detail]),
    [['same_issue', 'hash', 'same grouping hash as WEB-9']],
  );
  assert.deepEqual(compareSignatures(current, signature([mark(3, { projectId: 4 })]), String), []);
  const ranked = rankSimilar([
    { score: 1, declaredAt: 5, number: 2 },
    { score: 4, declaredAt: 1, number: 1 },
    { score: 1, declaredAt: 9, number: 3 },
  ]);
  assert.deepEqual(
    ranked.map((r) => r.number),
    [1, 3, 2],
  );
});
