import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { commitBatch } from '../src/digest/commit.ts';
import { prepareEvent } from '../src/digest/prepare.ts';
import { openStore } from '../src/store/open-store.ts';
import { MIGRATION_0021_USER_IDENTITIES as POSTGRES_0021 } from '../src/store/postgres/migrations/0021-user-identities.ts';
import { MIGRATION_0021_USER_IDENTITIES as SQLITE_0021 } from '../src/store/sqlite/migrations/0021-user-identities.ts';
import { testBackends } from '../src/store/test-databases.ts';
import { rawSql } from './helpers/raw-sql.ts';

/**
 * Migration 21 fills `user_identities` from the events stored since schema 19 (their user
 * fields), so issue search's `user.email:` finds users seen before the upgrade. Run for real on
 * both backends: events committed, the table dropped behind the store's back, the migration's
 * own SQL run again.
 */
async function replayMigration(url: string, before: string): Promise<void> {
  const migration = url.startsWith('sqlite:') ? SQLITE_0021 : POSTGRES_0021;
  await rawSql(url, `${before}; DROP TABLE user_identities; ${migration}`);
}

const T0 = Date.UTC(2026, 10, 20, 12, 0, 0);

for (const backend of testBackends())
  describe(`migration 21, user identities from stored events (${backend.name})`, () => {
    test('users stored with several identities are found by each; single-identity users add nothing', async (t) => {
      const database = await backend.createDatabase();
      t.after(() => database.cleanup());
      let store = await openStore(database.url);
      await store.migrate();
      const org = await store.orgs.create({ slug: 'acme', name: 'Acme', now: T0 });
      const project = await store.projects.create({
        orgId: org.id,
        slug: 'web',
        name: 'Web',
        platform: 'node',
        now: T0,
      });
      const event = (user: Record<string, string>) =>
        prepareEvent(
          {
            event_id: randomBytes(16).toString('hex'),
            timestamp: T0 / 1000,
            message: 'Checkout failed',
            user,
          },
          { project, receivedAt: T0 },
        );
      await commitBatch(store, [event({ id: 'u1', email: 'ada@example.com' }), event({ id: 'u2' })], []);
      await store.close();

      // Stored before ingest cut identities: a 4,000-character username (past PostgreSQL's index
      // entry) beside the email. The migration cuts it as ingest now does, and does not fail.
      const username = 'y'.repeat(4000);
      await replayMigration(
        database.url,
        `UPDATE events SET user_fields = '{"id":"u1","email":"ada@example.com","username":"${username}"}'
         WHERE user_key = 'id:u1'`,
      );
      store = await openStore(database.url);
      t.after(() => store.close());
      await store.migrate();
      const keys = async (field: 'id' | 'email', value: string) =>
        (await store.issues.userKeysWithIdentity([project.id], field, [value], 10)).map((u) => u.userKey);
      assert.deepEqual(await keys('email', 'ada@example.com'), ['id:u1']);
      assert.deepEqual(await keys('id', 'u1'), ['id:u1']);
      assert.deepEqual(await keys('id', 'u2'), [], 'a user with one identity is found by its tag alone');
      const byName = await store.issues.userKeysWithIdentity(
        [project.id],
        'username',
        [username.slice(0, 128)],
        10,
      );
      assert.deepEqual(
        byName.map((u) => u.userKey),
        ['id:u1'],
      );
    });
  });
