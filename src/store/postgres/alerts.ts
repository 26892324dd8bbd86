import type pg from 'pg';
import type { AlertsStore } from '../types-alerts.ts';

export function createAlerts(_pool: pg.Pool): AlertsStore {
  return {};
}
