import type { RunbooksStore } from '../types-runbooks.ts';
import type { SqliteHandles } from './connection.ts';

export function createRunbooks(_h: SqliteHandles): RunbooksStore {
  return {};
}
