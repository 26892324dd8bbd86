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

/**
 * Maps snake_case PostgreSQL rows to the Store's row types. int8 and numeric already arrive as
 * numbers (see pool.ts), jsonb as objects, text[] as arrays.
 */
type DbRow = Record<string, unknown>;

const numOrNull = (value: unknown): number | null => (value === null ? null : Number(value));
const strOrNull = (value: unknown): string | null => (value === null ? null : String(value));

export function toOrg(row: DbRow): Org {
  return {
    id: Number(row.id),
    slug: String(row.slug),
    name: String(row.name),
    createdAt: Number(row.created_at),
  };
}

export function toProject(row: DbRow): Project {
  return {
    id: Number(row.id),
    orgId: Number(row.org_id),
    slug: String(row.slug),
    name: String(row.name),
    platform: strOrNull(row.platform),
    createdAt: Number(row.created_at),
    eventMaxAgeDays: Number(row.event_max_age_days),
    eventsPerIssue: Number(row.events_per_issue),
  };
}

export function toProjectKey(row: DbRow): ProjectKey {
  return {
    id: Number(row.id),
    projectId: Number(row.project_id),
    label: String(row.label),
    publicKey: String(row.public_key),
    secretKey: String(row.secret_key),
    isActive: row.is_active === true,
    rateLimitCount: numOrNull(row.rate_limit_count),
    rateLimitWindowSeconds: numOrNull(row.rate_limit_window_seconds),
    createdAt: Number(row.created_at),
  };
}

export function toUser(row: DbRow): User {
  return {
    id: Number(row.id),
    email: String(row.email),
    name: String(row.name),
    passwordHash: strOrNull(row.password_hash),
    createdAt: Number(row.created_at),
  };
}

export function toApiToken(row: DbRow): ApiToken {
  return {
    id: Number(row.id),
    kind: row.kind as ApiToken['kind'],
    orgId: numOrNull(row.org_id),
    userId: numOrNull(row.user_id),
    name: String(row.name),
    scopes: row.scopes as string[],
    tokenHash: String(row.token_hash),
    tokenPrefix: String(row.token_prefix),
    createdAt: Number(row.created_at),
    lastUsedAt: numOrNull(row.last_used_at),
    revokedAt: numOrNull(row.revoked_at),
  };
}

export function toIssue(row: DbRow): Issue {
  return {
    id: Number(row.id),
    projectId: Number(row.project_id),
    shortIdNumber: Number(row.short_id_number),
    title: String(row.title),
    culprit: String(row.culprit),
    type: String(row.type),
    metadata: row.metadata as Issue['metadata'],
    level: String(row.level),
    status: row.status as IssueStatus,
    substatus: row.substatus as IssueSubstatus,
    firstSeen: Number(row.first_seen),
    lastSeen: Number(row.last_seen),
    timesSeen: Number(row.times_seen),
    userCount: Number(row.user_count),
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
    projectId: Number(row.project_id),
    issueId: Number(row.issue_id),
    timestamp: Number(row.timestamp),
    receivedAt: Number(row.received_at),
    level: String(row.level),
    release: strOrNull(row.release),
    environment: String(row.environment),
    userKey: strOrNull(row.user_key),
    // pg decodes bytea into Buffers that may share one pooled allocation; copy into a plain
    // Uint8Array so callers get exactly the payload and the same type as from SQLite.
    payload: new Uint8Array(row.payload as Buffer),
    payloadCodec: String(row.payload_codec),
    size: Number(row.size),
  };
}

export function toActivity(row: DbRow): IssueActivity {
  return {
    id: Number(row.id),
    issueId: Number(row.issue_id),
    type: String(row.type),
    data: row.data as Record<string, unknown>,
    actor: String(row.actor),
    createdAt: Number(row.created_at),
  };
}

export { toTagValueCount } from '../tag-rows.ts';
