import type {
  ApiToken,
  Issue,
  IssueActivity,
  IssueStatus,
  IssueSubstatus,
  Org,
  Project,
  ProjectKey,
  StoredEvent,
  User,
} from '../types.ts';

/** Maps snake_case SQLite rows (INTEGER booleans, JSON as TEXT) to the Store's row types. */
type DbRow = Record<string, unknown>;

const num = (value: unknown): number => Number(value);
const numOrNull = (value: unknown): number | null => (value === null ? null : Number(value));
const strOrNull = (value: unknown): string | null => (value === null ? null : String(value));

export function toOrg(row: DbRow): Org {
  return { id: num(row.id), slug: String(row.slug), name: String(row.name), createdAt: num(row.created_at) };
}

export function toProject(row: DbRow): Project {
  return {
    id: num(row.id),
    orgId: num(row.org_id),
    slug: String(row.slug),
    name: String(row.name),
    platform: strOrNull(row.platform),
    createdAt: num(row.created_at),
    eventMaxAgeDays: num(row.event_max_age_days),
    eventsPerIssue: num(row.events_per_issue),
  };
}

export function toProjectKey(row: DbRow): ProjectKey {
  return {
    id: num(row.id),
    projectId: num(row.project_id),
    label: String(row.label),
    publicKey: String(row.public_key),
    secretKey: String(row.secret_key),
    isActive: num(row.is_active) === 1,
    rateLimitCount: numOrNull(row.rate_limit_count),
    rateLimitWindowSeconds: numOrNull(row.rate_limit_window_seconds),
    createdAt: num(row.created_at),
  };
}

export function toUser(row: DbRow): User {
  return {
    id: num(row.id),
    email: String(row.email),
    name: String(row.name),
    passwordHash: strOrNull(row.password_hash),
    createdAt: num(row.created_at),
  };
}

export function toApiToken(row: DbRow): ApiToken {
  return {
    id: num(row.id),
    kind: row.kind as ApiToken['kind'],
    orgId: numOrNull(row.org_id),
    userId: numOrNull(row.user_id),
    name: String(row.name),
    scopes: JSON.parse(String(row.scopes)),
    tokenHash: String(row.token_hash),
    tokenPrefix: String(row.token_prefix),
    createdAt: num(row.created_at),
    lastUsedAt: numOrNull(row.last_used_at),
    revokedAt: numOrNull(row.revoked_at),
  };
}

export function toIssue(row: DbRow): Issue {
  return {
    id: num(row.id),
    projectId: num(row.project_id),
    shortIdNumber: num(row.short_id_number),
    title: String(row.title),
    culprit: String(row.culprit),
    type: String(row.type),
    metadata: JSON.parse(String(row.metadata)),
    level: String(row.level),
    status: row.status as IssueStatus,
    substatus: row.substatus as IssueSubstatus,
    firstSeen: num(row.first_seen),
    lastSeen: num(row.last_seen),
    timesSeen: num(row.times_seen),
    userCount: num(row.user_count),
    firstRelease: strOrNull(row.first_release),
    lastRelease: strOrNull(row.last_release),
    groupingVersion: String(row.grouping_version),
    platform: strOrNull(row.platform),
    resolvedAt: numOrNull(row.resolved_at),
  };
}

export function toStoredEvent(row: DbRow): StoredEvent {
  return {
    eventId: String(row.event_id),
    projectId: num(row.project_id),
    issueId: num(row.issue_id),
    timestamp: num(row.timestamp),
    receivedAt: num(row.received_at),
    level: String(row.level),
    release: strOrNull(row.release),
    environment: String(row.environment),
    userKey: strOrNull(row.user_key),
    payload: row.payload as Uint8Array,
    payloadCodec: String(row.payload_codec),
    size: num(row.size),
  };
}

export function toActivity(row: DbRow): IssueActivity {
  return {
    id: num(row.id),
    issueId: num(row.issue_id),
    type: String(row.type),
    data: JSON.parse(String(row.data)),
    actor: String(row.actor),
    createdAt: num(row.created_at),
  };
}
