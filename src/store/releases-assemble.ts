import type { Commit, CommitAuthor, Deploy, Release, ReleaseStatus, Repository } from './types-releases.ts';

/**
 * Both backends read a page of releases with the same few batched queries, returning rows in
 * the same snake_case shape; this turns them into Release objects.
 */
type Row = Record<string, unknown>;

/**
 * Releases created through the Web API have no events yet. They are stored with
 * first_seen = NO_EVENT_FIRST_SEEN and last_seen = 0, so ingest's min/max upsert records the
 * first event exactly and "first > last" still means "no event".
 */
export const NO_EVENT_FIRST_SEEN = 253402300799999; // 9999-12-31T23:59:59.999Z

const num = (value: unknown) => Number(value);
const numOrNull = (value: unknown) => (value === null || value === undefined ? null : Number(value));
const strOrNull = (value: unknown) => (value === null || value === undefined ? null : String(value));

export interface ReleaseRowSets {
  releases: Row[];
  /** release_id, project_id, new_groups */
  projects: Row[];
  /** release_id, n */
  commitCounts: Row[];
  /** release_id + commit columns (commitColumns) */
  lastCommits: Row[];
  /** release_id, author_name, author_email, in release order */
  authors: Row[];
  /** release_id, n */
  deployCounts: Row[];
  /** deploy rows (deploy columns + project_ids as a JSON array text or array) */
  lastDeploys: Row[];
}

export function assembleReleases(sets: ReleaseRowSets): Release[] {
  const byRelease = <T>(rows: Row[], map: (row: Row) => T) => {
    const grouped = new Map<number, T[]>();
    for (const row of rows) {
      const id = num(row.release_id);
      grouped.set(id, [...(grouped.get(id) ?? []), map(row)]);
    }
    return grouped;
  };
  const projects = byRelease(sets.projects, (r) => ({
    projectId: num(r.project_id),
    newGroups: num(r.new_groups),
  }));
  const commitCounts = byRelease(sets.commitCounts, (r) => num(r.n));
  const lastCommits = byRelease(sets.lastCommits, toCommit);
  const authors = byRelease(sets.authors, (r) => ({
    name: strOrNull(r.author_name),
    email: strOrNull(r.author_email),
  }));
  const deployCounts = byRelease(sets.deployCounts, (r) => num(r.n));
  const lastDeploys = byRelease(sets.lastDeploys, toDeploy);
  return sets.releases.map((row) => {
    const id = num(row.id);
    const firstSeen = num(row.first_seen);
    const lastSeen = num(row.last_seen);
    const hasEvents = lastSeen >= firstSeen;
    return {
      id,
      orgId: num(row.org_id),
      version: String(row.version),
      ref: strOrNull(row.ref),
      url: strOrNull(row.url),
      status: String(row.status) as ReleaseStatus,
      dateCreated: num(row.date_created),
      dateStarted: numOrNull(row.date_started),
      dateReleased: numOrNull(row.date_released),
      firstEvent: hasEvents ? firstSeen : null,
      lastEvent: hasEvents ? lastSeen : null,
      projects: projects.get(id) ?? [],
      commitCount: commitCounts.get(id)?.[0] ?? 0,
      lastCommit: lastCommits.get(id)?.[0] ?? null,
      authors: uniqueAuthors(authors.get(id) ?? []),
      deployCount: deployCounts.get(id)?.[0] ?? 0,
      lastDeploy: lastDeploys.get(id)?.[0] ?? null,
    };
  });
}

/** One author per email (or per name when there is no email), in first-seen order. */
function uniqueAuthors(authors: CommitAuthor[]): CommitAuthor[] {
  const seen = new Map<string, CommitAuthor>();
  for (const author of authors) {
    const key = author.email ? `e:${author.email.toLowerCase()}` : `n:${author.name}`;
    if (!seen.has(key)) seen.set(key, author);
  }
  return [...seen.values()];
}

/** Select list for a commit joined with its repository (aliases read by toCommit). */
export const COMMIT_COLUMNS = `c.id AS commit_id, c.sha, c.message, c.author_name, c.author_email,
  c.date_created AS commit_date, repo.id AS repo_id, repo.org_id AS repo_org_id, repo.name AS repo_name,
  repo.url AS repo_url, repo.created_at AS repo_created_at`;

export function toRepository(row: Row): Repository {
  return {
    id: num(row.id),
    orgId: num(row.org_id),
    name: String(row.name),
    url: strOrNull(row.url),
    createdAt: num(row.created_at),
  };
}

export function toCommit(row: Row): Commit {
  return {
    sha: String(row.sha),
    repository: {
      id: num(row.repo_id),
      orgId: num(row.repo_org_id),
      name: String(row.repo_name),
      url: strOrNull(row.repo_url),
      createdAt: num(row.repo_created_at),
    },
    message: strOrNull(row.message),
    authorName: strOrNull(row.author_name),
    authorEmail: strOrNull(row.author_email),
    dateCreated: num(row.commit_date),
  };
}

export function toDeploy(row: Row): Deploy {
  const projectIds = typeof row.project_ids === 'string' ? JSON.parse(row.project_ids) : row.project_ids;
  return {
    id: num(row.id),
    releaseId: num(row.release_id),
    environment: String(row.environment),
    name: strOrNull(row.name),
    url: strOrNull(row.url),
    dateStarted: numOrNull(row.date_started),
    dateFinished: num(row.date_finished),
    projectIds: ((projectIds as unknown[] | null) ?? []).map(Number).sort((a, b) => a - b),
  };
}
