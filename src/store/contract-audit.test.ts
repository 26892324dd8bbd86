import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { type OpenedTestStore, testBackends } from './test-databases.ts';
import type { Store } from './types.ts';
import type { AuditEntry } from './types-audit.ts';

const hex = () => randomBytes(16).toString('hex');

for (const backend of testBackends()) {
  describe(`audit store contract: ${backend.name}`, () => {
    let opened: OpenedTestStore;
    let store: Store;
    before(async () => {
      opened = await backend.open();
      store = opened.store;
    });
    after(() => opened.cleanup());

    async function orgWithKey(slug: string) {
      const org = await store.orgs.create({ slug, name: slug, now: 1 });
      const { key } = await store.projects.createWithKey({
        orgId: org.id,
        slug: 'web',
        name: 'web',
        platform: null,
        now: 1,
        key: { label: 'Default', publicKey: hex(), secretKey: hex() },
      });
      return { org, key };
    }

    const entry = (orgId: number, action: string, targetId?: string): AuditEntry => ({
      orgId,
      actor: 'user:7',
      action,
      targetType: 'projectkey',
      targetId,
      data: { label: 'Default' },
      now: 1_000,
    });

    test('a key rotation writes exactly one row, with the actor, in its transaction', async () => {
      const { org, key } = await orgWithKey('audit-rotate');
      const rotated = await store.keys.rotate(
        key.id,
        { publicKey: hex(), secretKey: hex(), now: 1_000 },
        entry(org.id, 'projectkey.rotate', String(key.id)),
      );
      assert.ok(rotated);
      const rows = await store.audit.list(org.id, { limit: 10 });
      assert.equal(rows.length, 1);
      assert.deepEqual(
        { ...rows[0], id: 0 },
        {
          id: 0,
          orgId: org.id,
          actor: 'user:7',
          action: 'projectkey.rotate',
          targetType: 'projectkey',
          targetId: String(key.id),
          data: { label: 'Default' },
          createdAt: 1_000,
        },
      );
    });

    test('a failing write leaves no audit row; a no-op writes none; a create fills targetId', async () => {
      const { org, key } = await orgWithKey('audit-fail');
      await assert.rejects(
        store.keys.create(
          { projectId: key.projectId, now: 2, label: 'Dup', publicKey: key.publicKey, secretKey: hex() },
          entry(org.id, 'projectkey.create'),
        ),
        { code: 'CONFLICT' },
      );
      assert.equal(
        await store.keys.rotate(999_999, { publicKey: hex(), secretKey: hex(), now: 2 }, entry(org.id, 'x')),
        null,
      );
      assert.equal(await store.keys.delete(999_999, entry(org.id, 'projectkey.remove')), false);
      assert.deepEqual(await store.audit.list(org.id, { limit: 10 }), []);

      const created = await store.keys.create(
        { projectId: key.projectId, now: 3, label: 'New', publicKey: hex(), secretKey: hex() },
        entry(org.id, 'projectkey.create'),
      );
      const rows = await store.audit.list(org.id, { limit: 10 });
      assert.deepEqual(
        rows.map((row) => [row.action, row.targetId]),
        [['projectkey.create', String(created.id)]],
      );
    });

    test('list is per organisation, newest first, with a keyset cursor', async () => {
      const { org, key } = await orgWithKey('audit-list');
      const other = await orgWithKey('audit-other');
      for (const label of ['a', 'b', 'c']) {
        await store.keys.update(key.id, { label }, { ...entry(org.id, 'projectkey.edit'), data: { label } });
      }
      await store.keys.update(other.key.id, { label: 'z' }, entry(other.org.id, 'projectkey.edit'));
      const first = await store.audit.list(org.id, { limit: 2 });
      assert.deepEqual(
        first.map((row) => row.data.label),
        ['c', 'b'],
      );
      const second = await store.audit.list(org.id, { limit: 2, cursor: first[1].id });
      assert.deepEqual(
        second.map((row) => row.data.label),
        ['a'],
      );
    });
  });
}
