import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { type OpenedTestStore, testBackends } from './test-databases.ts';
import type { Store } from './types.ts';
import type { Incident } from './types-incidents.ts';
import type { ActionItem, ActionItemFields, NewActionItem } from './types-postmortems.ts';

const T0 = Date.UTC(2026, 0, 1);
const DAY = 86_400_000;
const uniq = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}`;

async function seedIncident(store: Store, orgId?: number): Promise<Incident> {
  const org = orgId ?? (await store.orgs.create({ slug: uniq('org'), name: 'Org', now: T0 })).id;
  return store.incidents.create({
    orgId: org,
    title: 'Checkout is failing',
    severity: 'P2',
    issueIds: [],
    createdBy: 'user:1',
    now: T0,
    entries: [{ kind: 'declared', body: 'Declared', actor: 'user:1', occurredAt: T0 }],
  });
}

const FIELDS: ActionItemFields = {
  incidentId: null,
  issueId: null,
  title: 'Add a test for empty carts',
  description: null,
  kind: 'test',
  status: 'open',
  ownerUserId: null,
  ownerName: null,
  dueAt: null,
  completedAt: null,
};

const newItem = (orgId: number, fields: Partial<ActionItemFields> = {}): NewActionItem => ({
  ...FIELDS,
  ...fields,
  orgId,
  createdBy: 'user:1',
  now: T0,
  entriesFor: (item: ActionItem) =>
    item.incidentId === null
      ? []
      : [
          {
            incidentId: item.incidentId,
            kind: 'action_item',
            body: `Action item ${item.id} added`,
            data: { actionItemId: String(item.id) },
            actor: 'user:1',
            occurredAt: T0,
          },
        ],
});

for (const backend of testBackends()) {
  describe(`store contract, post-mortems and action items: ${backend.name}`, () => {
    let opened: OpenedTestStore;
    let store: Store;
    before(async () => {
      opened = await backend.open();
      store = opened.store;
    });
    after(() => opened?.cleanup());

    test('ADR numbers count per organisation, also when generated concurrently; regeneration keeps them', async () => {
      const first = await seedIncident(store);
      const incidents = [
        first,
        ...(await Promise.all([1, 2, 3].map(() => seedIncident(store, first.orgId)))),
      ];
      const made = await Promise.all(
        incidents.map((incident) =>
          store.postmortems.generate({
            orgId: incident.orgId,
            incidentId: incident.id,
            facts: { n: incident.number },
            actor: 'user:1',
            now: T0,
            entriesOnCreate: (p) => [
              { kind: 'postmortem', body: `ADR ${p.number}`, actor: 'user:1', occurredAt: T0 },
            ],
          }),
        ),
      );
      assert.deepEqual(made.map((m) => m.postmortem.number).sort(), [1, 2, 3, 4]);
      assert.ok(made.every((m) => m.created));
      const other = await seedIncident(store);
      const otherOrg = await store.postmortems.generate({
        orgId: other.orgId,
        incidentId: other.id,
        facts: {},
        actor: 'user:2',
        now: T0,
        entriesOnCreate: () => [],
      });
      assert.equal(otherOrg.postmortem.number, 1);

      const again = await Promise.all(
        [1, 2].map((i) =>
          store.postmortems.generate({
            orgId: first.orgId,
            incidentId: first.id,
            facts: { n: first.number, again: i },
            actor: 'user:3',
            now: T0 + i,
            entriesOnCreate: () => [{ kind: 'postmortem', body: 'again', actor: 'user:3', occurredAt: T0 }],
          }),
        ),
      );
      assert.ok(again.every((a) => !a.created));
      const stored = await store.postmortems.getByIncident(first.id);
      const original = made.find((m) => m.postmortem.incidentId === first.id)!.postmortem;
      assert.equal(stored?.number, original.number);
      assert.equal(stored?.generatedBy, 'user:3');
      assert.equal(stored?.version, 3);
      assert.deepEqual(
        (await store.timeline.list(first.id)).map((e) => `${e.kind}:${e.body}`),
        ['declared:Declared', `postmortem:ADR ${original.number}`],
      );
      assert.equal(await store.postmortems.getByIncident(-1), null);
    });

    test('narrative edits merge, clear with null, survive regeneration and are conditional', async () => {
      const incident = await seedIncident(store);
      const { postmortem } = await store.postmortems.generate({
        orgId: incident.orgId,
        incidentId: incident.id,
        facts: { events: 12 },
        actor: 'user:1',
        now: T0,
        entriesOnCreate: () => [],
      });
      const edited = await store.postmortems.editNarrative(postmortem.id, {
        fields: { summary: 'Checkout failed', wentWell: 'Fast rollback' },
        expectedVersion: postmortem.version,
        actor: 'user:2',
        now: T0 + 1,
        entries: [{ kind: 'postmortem_edit', body: 'Edited summary', actor: 'user:2', occurredAt: T0 + 1 }],
      });
      assert.deepEqual(edited?.narrative, { summary: 'Checkout failed', wentWell: 'Fast rollback' });
      assert.equal(edited?.updatedBy, 'user:2');
      const stale = await store.postmortems.editNarrative(postmortem.id, {
        fields: { summary: 'lost' },
        expectedVersion: postmortem.version,
        actor: 'user:3',
        now: T0 + 2,
        entries: [],
      });
      assert.equal(stale, null);
      const cleared = await store.postmortems.editNarrative(postmortem.id, {
        fields: { wentWell: null, rootCause: 'empty cart' },
        actor: 'user:2',
        now: T0 + 3,
        entries: [],
      });
      assert.deepEqual(cleared?.narrative, { summary: 'Checkout failed', rootCause: 'empty cart' });
      const regenerated = await store.postmortems.generate({
        orgId: incident.orgId,
        incidentId: incident.id,
        facts: { events: 13 },
        actor: 'user:1',
        now: T0 + 4,
        entriesOnCreate: () => [],
      });
      assert.deepEqual(regenerated.postmortem.facts, { events: 13 });
      assert.deepEqual(regenerated.postmortem.narrative, {
        summary: 'Checkout failed',
        rootCause: 'empty cart',
      });
      assert.equal(regenerated.postmortem.generatedAt, T0 + 4);
      assert.equal(
        (await store.timeline.list(incident.id)).filter((e) => e.kind === 'postmortem_edit').length,
        1,
      );
    });

    test('action items: create with the incident entry, filters, overdue, conditional update, delete', async () => {
      const incident = await seedIncident(store);
      const user = await store.users.create({
        email: `${uniq('u')}@example.com`,
        name: 'Ivy',
        passwordHash: null,
        now: T0,
        membership: { orgId: incident.orgId, role: 'member' },
      });
      const orgId = incident.orgId;
      const late = await store.actionItems.create(
        newItem(orgId, { incidentId: incident.id, dueAt: T0 + DAY, ownerUserId: user.id }),
      );
      const later = await store.actionItems.create(
        newItem(orgId, {
          incidentId: incident.id,
          kind: 'monitor',
          dueAt: T0 + 5 * DAY,
          ownerName: 'SRE Ünïcode Team',
        }),
      );
      const loose = await store.actionItems.create(newItem(orgId, { kind: 'process' }));
      const elsewhere = await seedIncident(store);
      await store.actionItems.create(newItem(elsewhere.orgId, { dueAt: T0 }));

      assert.equal(late.status, 'open');
      assert.equal(late.version, 1);
      assert.deepEqual(await store.actionItems.get(late.id), late);
      const entries = (await store.timeline.list(incident.id)).filter((e) => e.kind === 'action_item');
      assert.deepEqual(
        entries.map((e) => e.body),
        [`Action item ${late.id} added`, `Action item ${later.id} added`],
      );
      const ids = (items: ActionItem[]) => items.map((i) => i.id);
      const list = (q: Partial<Parameters<Store['actionItems']['list']>[0]> = {}) =>
        store.actionItems.list({ orgId, limit: 50, offset: 0, ...q });
      assert.deepEqual(ids(await list()), [late.id, later.id, loose.id]);
      assert.deepEqual(ids(await list({ limit: 1, offset: 1 })), [later.id]);
      assert.deepEqual(ids(await list({ incidentId: incident.id, kinds: ['monitor'] })), [later.id]);
      assert.deepEqual(ids(await list({ ownerUserId: user.id })), [late.id]);
      assert.deepEqual(
        ids(await list({ ownerName: 'sre ünïcode team' })),
        [later.id],
        'case folded in every script',
      );
      assert.deepEqual(ids(await list({ overdueAt: T0 + 2 * DAY })), [late.id]);
      assert.deepEqual(ids(await list({ overdueAt: T0 + 6 * DAY })), [late.id, later.id]);

      const race = await Promise.all(
        (['done', 'wont_do'] as const).map((status) =>
          store.actionItems.update(late.id, {
            fields: { status, completedAt: T0 + 2 * DAY },
            expectedVersion: late.version,
            now: T0 + 2 * DAY,
            entries: [
              { incidentId: incident.id, kind: 'action_item', body: status, actor: 'user:1', occurredAt: T0 },
            ],
          }),
        ),
      );
      assert.equal(race.filter((r) => r === null).length, 1);
      const winner = race.find((r) => r !== null)!;
      assert.equal(winner.version, 2);
      assert.equal(winner.completedAt, T0 + 2 * DAY);
      assert.deepEqual(ids(await list({ overdueAt: T0 + 6 * DAY })), [later.id]);
      assert.deepEqual(ids(await list({ statuses: ['done', 'wont_do'] })), [late.id]);
      const cleared = await store.actionItems.update(later.id, {
        fields: { dueAt: null, ownerName: null, title: 'Alert on checkout errors' },
        now: T0 + 3 * DAY,
        entries: [],
      });
      assert.equal(cleared?.dueAt, null);
      assert.equal(cleared?.title, 'Alert on checkout errors');
      assert.equal(
        await store.actionItems.update(-1, { fields: { title: 'x' }, now: T0, entries: [] }),
        null,
      );

      assert.equal(
        await store.actionItems.delete(
          loose.id,
          [
            {
              incidentId: incident.id,
              kind: 'action_item',
              body: 'deleted',
              actor: 'user:1',
              occurredAt: T0,
            },
          ],
          T0,
        ),
        true,
      );
      assert.equal(await store.actionItems.delete(loose.id, [], T0), false);
      assert.equal(await store.actionItems.get(loose.id), null);
      assert.equal(
        (await store.timeline.list(incident.id)).filter((e) => e.kind === 'action_item').length,
        4,
      );
    });
  });
}
