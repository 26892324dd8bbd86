import type pg from 'pg';
import type { PostmortemsStore } from '../types-postmortems.ts';

export function createPostmortems(_pool: pg.Pool): PostmortemsStore {
  return {};
}
