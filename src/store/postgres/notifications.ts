import type pg from 'pg';
import type { NotificationsStore } from '../types-notifications.ts';

export function createNotifications(_pool: pg.Pool): NotificationsStore {
  return {};
}
