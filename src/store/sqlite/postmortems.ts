import type { PostmortemsStore } from '../types-postmortems.ts';
import type { SqliteHandles } from './connection.ts';

export function createPostmortems(_h: SqliteHandles): PostmortemsStore {
  return {};
}
