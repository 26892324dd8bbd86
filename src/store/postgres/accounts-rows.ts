import type pg from 'pg';
import { AppError } from '../../app-error.ts';
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

// Backend-neutral row mappers, shared with the other backend.
export { groupBy, toMembership, toTeam } from '../account-rows.ts';
