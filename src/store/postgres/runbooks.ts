import type pg from 'pg';
import type { RunbooksStore } from '../types-runbooks.ts';

export function createRunbooks(_pool: pg.Pool): RunbooksStore {
  return {};
}
