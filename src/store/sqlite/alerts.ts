import type { AlertsStore } from '../types-alerts.ts';
import type { SqliteHandles } from './connection.ts';

export function createAlerts(_h: SqliteHandles): AlertsStore {
  return {};
}
