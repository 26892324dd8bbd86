import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type pg from 'pg';
import { createPostgresTestDatabase, type TestDatabase } from '../test-databases.ts';
import { createPool } from './pool.ts';
import { combine, type Statement, WriteBehind } from './write-behind.ts';

const insert = (kind: string, table: string, value: number): Statement => ({
  kind,
  sql: `INSERT INTO ${table} (n) VALUES ($1)`,
  values: [value],
});

test('combine: queued statements become CTEs ahead of the last, placeholders renumbered in order', () => {
  const { text, values } = combine([
    insert('a', 'a', 1),
    {
      kind: 'b',
      ctes: ['b_input AS (SELECT $1::int AS n, $2::int AS m)'],
      sql: 'INSERT INTO b SELECT n + m FROM b_input',
      values: [2, 3],
    },
    { kind: 'c', sql: 'SELECT $1::int AS n, $2::int AS m', values: [4, 5] },
  ]);
  assert.equal(
    text,
    [
      'WITH write_0 AS (INSERT INTO a (n) VALUES ($1)),',
      'b_input AS (SELECT $2::int AS n, $3::int AS m),',
      'write_1 AS (INSERT INTO b SELECT n + m FROM b_input)',
      'SELECT $4::int AS n, $5::int AS m',
    ].join('\n'),
  );
  assert.deepEqual(values, [1, 2, 3, 4, 5]);
  assert.deepEqual(combine([insert('a', 'a', 1)]), { text: 'INSERT INTO a (n) VALUES ($1)', values: [1] });
});

describe('WriteBehind on PostgreSQL', () => {
  let database: TestDatabase;
  let pool: pg.Pool;
  before(async () => {
    database = await createPostgresTestDatabase();
    // The store's own pool: pool.end() resolves before its sockets have closed, and the cleanup's
    // DROP DATABASE … WITH (FORCE) then ends a closing connection, whose 'error' the pool must take.
    pool = createPool(database.url);
    await pool.query('CREATE TABLE a (n int PRIMARY KEY); CREATE TABLE b (n int PRIMARY KEY)');
  });
  after(async () => {
    await pool.end();
    await database.cleanup();
  });

  /** A client that counts the statements it sends (each one a round trip). */
  async function counted() {
    const client = await pool.connect();
    const sent: string[] = [];
    const query = client.query.bind(client) as (text: string, values?: unknown[]) => Promise<pg.QueryResult>;
    const counting = Object.assign(Object.create(client), {
      query: (text: string, values?: unknown[]) => {
        sent.push(text);
        return query(text, values);
      },
    }) as pg.PoolClient;
    return { client, counting, sent };
  }

  test('queued writes land with the next query, in one round trip; a second of a kind sends the first', async () => {
    const { client, counting, sent } = await counted();
    try {
      const writes = new WriteBehind(counting);
      await writes.write(insert('a', 'a', 1));
      await writes.write(insert('b', 'b', 1));
      assert.equal(sent.length, 0, 'nothing sent while only writes are queued');
      const read = await writes.query<{ n: number }>({
        kind: 'read',
        sql: 'SELECT $1::int AS n',
        values: [7],
      });
      assert.deepEqual(read, [{ n: 7 }]);
      assert.equal(sent.length, 1);
      await writes.write(insert('a', 'a', 2));
      await writes.write(insert('a', 'a', 3));
      assert.equal(sent.length, 2, 'the earlier write of the same kind went first');
      await writes.flush();
      await writes.flush();
      assert.equal(sent.length, 3, 'an empty queue sends nothing');
      const stored = await pool.query(
        'SELECT (SELECT array_agg(n ORDER BY n) FROM a) AS a, (SELECT array_agg(n) FROM b) AS b',
      );
      assert.deepEqual(stored.rows[0], { a: [1, 2, 3], b: [1] });
    } finally {
      client.release();
    }
  });

  test('a queued write that fails fails the statement that carries it, and the transaction with it', async () => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const writes = new WriteBehind(client);
      await writes.write(insert('b', 'b', 50));
      await writes.write(insert('a', 'a', 1)); // already there: a unique violation, once sent
      await assert.rejects(writes.flush(), { code: '23505' });
      await client.query('ROLLBACK');
      assert.equal((await pool.query('SELECT count(*)::int AS n FROM b WHERE n = 50')).rows[0].n, 0);
    } finally {
      client.release();
    }
  });
});
