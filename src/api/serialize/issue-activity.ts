import type { ActivityView } from '../../issues/issue-activity.ts';
import type { TagValueCount, User } from '../../store/types.ts';
import type { TagKeySummary } from '../../store/types-issues.ts';
import { isoDate } from './dates.ts';

/** Sentry's activity (and note) shape: `{id, type, data, user, dateCreated}`. */
export function serializeActivity(view: ActivityView) {
  return {
    id: String(view.activity.id),
    type: view.activity.type,
    data: view.activity.data,
    user: view.user ? serializeUserRef(view.user) : null,
    dateCreated: isoDate(view.activity.createdAt),
  };
}

export function serializeUserRef(user: User) {
  return { id: String(user.id), name: user.name, username: user.email, email: user.email };
}

/** Sentry's tag key of an issue: `{key, name, totalValues, uniqueValues, topValues}`. */
export function serializeTagKey(tag: TagKeySummary) {
  return {
    key: tag.key,
    name: tagLabel(tag.key),
    totalValues: tag.totalValues,
    uniqueValues: tag.uniqueValues,
    topValues: tag.topValues.map(serializeTagValue),
  };
}

export function serializeTagValue(value: TagValueCount) {
  return {
    key: value.key,
    name: value.value,
    value: value.value,
    count: value.count,
    firstSeen: isoDate(value.firstSeen),
    lastSeen: isoDate(value.lastSeen),
  };
}

/** Sentry labels a tag key by title-casing it (`server_name` → `Server Name`). */
function tagLabel(key: string): string {
  return key
    .replace(/_/g, ' ')
    .replace(/(^|[\s.])(\w)/g, (_m, sep: string, c: string) => sep + c.toUpperCase());
}
