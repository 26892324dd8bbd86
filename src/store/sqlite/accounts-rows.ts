import { AppError } from '../../app-error.ts';
import { runInTransaction, type SqliteHandles } from './connection.ts';

export type Row = Record<string, unknown>;

const SQLITE_CONSTRAINT_UNIQUE = 2067;
const SQLITE_CONSTRAINT_PRIMARYKEY = 1555;

/**
 * Runs a write under the write lock, in one transaction when `transaction` is set, turning a
 * unique violation into a CONFLICT naming `what`.
 */
export function writer(h: SqliteHandles) {
  return async <T>(what: string, fn: () => T, options: { transaction?: boolean } = {}): Promise<T> =>
    h.writeLock.run(async () => {
      try {
        return options.transaction ? await runInTransaction(h.writer, fn) : fn();
      } catch (error) {
        const code = (error as { errcode?: number }).errcode;
        if (code === SQLITE_CONSTRAINT_UNIQUE || code === SQLITE_CONSTRAINT_PRIMARYKEY) {
          throw new AppError('CONFLICT', `${what} already exists`, { cause: error });
        }
        throw error;
      }
    });
}

/** An organisation keeps an owner: nobody could manage its members or tokens otherwise. */
export const lastOwner = (change: 'demoted' | 'removed') =>
  new AppError('CONFLICT', `the last owner cannot be ${change}`);

export function nullable<T>(row: Row | undefined, map: (row: Row) => T): T | null {
  return row ? map(row) : null;
}

/** Drops keys whose value is undefined, so a patch only changes what it names. */
export function definedOnly<T extends object>(patch: T): Partial<T> {
  return Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined)) as Partial<T>;
}

// Backend-neutral row mappers, shared with the other backend.
export { groupBy, toMembership, toTeam } from '../account-rows.ts';
