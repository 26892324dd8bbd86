import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ActionItemView } from './action-items.ts';
import { revisitOf } from './view.ts';

const DAY = Date.UTC(2026, 0, 7, 12, 0, 0);

function item(id: number, status: string, completedAt: number | null): ActionItemView {
  return {
    item: { id, status, completedAt, dueAt: null, title: `item ${id}` },
    owner: null,
    incident: null,
    issue: null,
    overdue: false,
  } as unknown as ActionItemView;
}

test('revisit: one done action item reads in the singular', () => {
  const revisit = revisitOf([item(1, 'done', DAY)]);
  assert.equal(revisit.complete, true);
  assert.equal(revisit.text, 'Now: the 1 action item is done (on 2026-01-07).');
});

test('revisit: several done action items read in the plural', () => {
  const revisit = revisitOf([
    item(1, 'done', DAY - 86_400_000),
    item(2, 'done', DAY),
    item(3, 'wont_do', null),
  ]);
  assert.equal(revisit.complete, true);
  assert.equal(revisit.text, 'Now: all 2 action items are done (the last on 2026-01-07).');
});
