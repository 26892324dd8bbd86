import type { PoolClient, QueryResultRow } from 'pg';

/** One SQL statement, with `$n` placeholders numbered from 1 within it. */
export interface Statement {
  /**
   * The table it writes. Two statements of one kind are never sent together: data-modifying
   * CTEs of one query that touch the same row have unspecified results.
   */
  kind: string;
  /** `name AS (…)` parts it needs ahead of it; their names are unique across kinds. */
  ctes?: string[];
  sql: string;
  values: unknown[];
}

/**
 * The writes of an ingest transaction that nothing reads back (issue totals, sightings,
 * activities, outcomes, counts) are queued and sent as data-modifying CTEs ahead of the next
 * statement that returns rows, or on their own before COMMIT. On PostgreSQL every statement is a
 * round trip, and under load each round trip also waits for the main thread's event loop: the
 * transaction's length, not the database's work, bounded ingest (a batch's 12 round trips took
 * ~27 ms). PostgreSQL runs every data-modifying CTE to completion whether or not it is read.
 *
 * Queued statements run in the database's snapshot from before the query, like the statements
 * that carry them: so neither side may read what the other writes, and a statement that must see
 * earlier writes (an issue lookup) goes through `flush()` first.
 */
export class WriteBehind {
  readonly #client: PoolClient;
  #pending: Statement[] = [];

  constructor(client: PoolClient) {
    this.#client = client;
  }

  /** Queues a write; sends what is queued first if it already holds one of the same kind. */
  async write(statement: Statement): Promise<void> {
    if (this.#pending.some((queued) => queued.kind === statement.kind)) await this.flush();
    this.#pending.push(statement);
  }

  /** Runs a statement that returns rows, with the queued writes in the same round trip. */
  async query<R extends QueryResultRow>(statement: Statement): Promise<R[]> {
    if (this.#pending.some((queued) => queued.kind === statement.kind)) await this.flush();
    const { text, values } = combine([...this.#pending, statement]);
    this.#pending = [];
    return (await this.#client.query<R>(text, values)).rows;
  }

  /** Sends the queued writes now: before a statement that reads them, and before COMMIT. */
  async flush(): Promise<void> {
    const last = this.#pending.pop();
    if (last) await this.query(last);
  }
}

/** The statements as one: all but the last as CTEs named `write_N`, the last as the query. */
export function combine(statements: Statement[]): { text: string; values: unknown[] } {
  const parts: string[] = [];
  const values: unknown[] = [];
  let text = '';
  statements.forEach((statement, i) => {
    const offset = values.length;
    const shift = (sql: string) =>
      offset === 0 ? sql : sql.replace(/\$(\d+)/g, (_, n) => `$${Number(n) + offset}`);
    parts.push(...(statement.ctes ?? []).map(shift));
    if (i < statements.length - 1) parts.push(`write_${i} AS (${shift(statement.sql)})`);
    else text = shift(statement.sql);
    values.push(...statement.values);
  });
  return { text: parts.length > 0 ? `WITH ${parts.join(',\n')}\n${text}` : text, values };
}

/** Runs one statement on its own. */
export async function runStatement(client: Pick<PoolClient, 'query'>, statement: Statement): Promise<void> {
  const { text, values } = combine([statement]);
  await client.query(text, values);
}
