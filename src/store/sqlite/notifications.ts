import type { NotificationsStore } from '../types-notifications.ts';
import type { SqliteHandles } from './connection.ts';

export function createNotifications(_h: SqliteHandles): NotificationsStore {
  return {};
}
