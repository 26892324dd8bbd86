import type pg from 'pg';
import { AppError } from '../../app-error.ts';
import type { Membership, OrgRole, Team } from '../types-accounts.ts';
import { inTransaction, type Queryable, type Row } from './pool.ts';

const UNIQUE_VIOLATION = '23505';

/** Runs a write, turning a unique violation into a CONFLICT naming `what`. */
export async function conflictAs<T>(what: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if ((error as { code?: string }).code === UNIQUE_VIOLATION) {
      throw new AppError('CONFLICT', `${what} already exists`, { cause: error });
    }
    throw error;
  }
}

/** One transaction on one client; a unique violation becomes a CONFLICT naming `what`. */
export function transaction<T>(pool: pg.Pool, what: string, fn: (db: Queryable) => Promise<T>): Promise<T> {
  return conflictAs(what, () => inTransaction(pool, fn));
}

/** An organisation keeps an owner: nobody could manage its members or tokens otherwise. */
export const lastOwner = (change: 'demoted' | 'removed') =>
  new AppError('CONFLICT', `the last owner cannot be ${change}`);

export const orNull =
  <T>(map: (row: Row) => T) =>
  (row: Row | undefined) =>
    row ? map(row) : null;

/** Groups rows by a numeric column into a Map of mapped values, keeping row order. */
export function groupBy<T>(rows: Row[], column: string, map: (row: Row) => T): Map<number, T[]> {
  const groups = new Map<number, T[]>();
  for (const row of rows) {
    const id = Number(row[column]);
    const list = groups.get(id) ?? [];
    list.push(map(row));
    groups.set(id, list);
  }
  return groups;
}

export function toMembership(row: Row): Membership {
  return {
    orgId: Number(row.org_id),
    userId: Number(row.user_id),
    role: row.role as OrgRole,
    createdAt: Number(row.created_at),
  };
}

export function toTeam(row: Row): Team {
  return {
    id: Number(row.id),
    orgId: Number(row.org_id),
    slug: String(row.slug),
    name: String(row.name),
    createdAt: Number(row.created_at),
  };
}
