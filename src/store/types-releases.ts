/** Releases and environments, with the commits (and changed files) and deploys clients attach. */

export type ReleaseStatus = 'open' | 'archived';
export type FileChangeType = 'A' | 'M' | 'D';

export interface Repository {
  id: number;
  orgId: number;
  name: string;
  url: string | null;
  createdAt: number;
}

export interface CommitFile {
  path: string;
  type: FileChangeType;
}

export interface Commit {
  /** The commit hash (Sentry's commit `key`), unique per repository. */
  sha: string;
  repository: Repository;
  message: string | null;
  authorName: string | null;
  authorEmail: string | null;
  dateCreated: number;
  /** Only filled where asked for (releases.commits with withFiles). */
  files?: CommitFile[];
}

export interface CommitAuthor {
  name: string | null;
  email: string | null;
}

export interface Deploy {
  id: number;
  releaseId: number;
  environment: string;
  name: string | null;
  url: string | null;
  dateStarted: number | null;
  dateFinished: number;
  projectIds: number[];
}

/** A release with everything its Sentry representation shows, computed by the store on read. */
export interface Release {
  id: number;
  orgId: number;
  version: string;
  ref: string | null;
  url: string | null;
  status: ReleaseStatus;
  dateCreated: number;
  dateStarted: number | null;
  dateReleased: number | null;
  /** First and last event seen by ingest in this release; null when none arrived. */
  firstEvent: number | null;
  lastEvent: number | null;
  /** Projects in id order; newGroups = issues of the project first seen in this release. */
  projects: { projectId: number; newGroups: number }[];
  commitCount: number;
  lastCommit: Commit | null;
  authors: CommitAuthor[];
  deployCount: number;
  lastDeploy: Deploy | null;
}

export interface NewCommit {
  sha: string;
  repository: string;
  message: string | null;
  authorName: string | null;
  authorEmail: string | null;
  /** null = keep the stored date, or `now` for a commit seen for the first time. */
  dateCreated: number | null;
  /** null = keep the files already known for this commit. */
  files: CommitFile[] | null;
}

/** A replacement commit list (as `setCommits`), written in the same transaction as a release change. */
export interface ReplaceCommits {
  commits: NewCommit[];
  now: number;
}

export interface ReleaseListQuery {
  orgId: number;
  /** Releases linked to any of these projects; all of the organisation's when omitted. */
  projectIds?: number[];
  /** Case-insensitive substring of the version. */
  query?: string;
  status: ReleaseStatus;
  limit: number;
  offset: number;
}

export interface ReleasesStore {
  releases: {
    /** Newest first; first/last event seen, or the creation date for a release with no event yet. */
    listByProject(projectId: number): Promise<{ version: string; firstSeen: number; lastSeen: number }[]>;
    /**
     * Get-or-create on (org, version), then links the projects. `created` is true when the
     * release row was inserted or any project was newly linked (Sentry's 201 versus 208). The
     * other fields only apply to a release that did not exist, except a non-null `status`.
     * `commits`, when given, replaces the release's commits (as setCommits) in the same transaction.
     */
    create(input: {
      orgId: number;
      version: string;
      projectIds: number[];
      ref: string | null;
      url: string | null;
      dateStarted: number | null;
      dateReleased: number | null;
      status: ReleaseStatus | null;
      now: number;
      commits?: NewCommit[];
    }): Promise<{ release: Release; created: boolean }>;
    get(orgId: number, version: string): Promise<Release | null>;
    /** Newest first (creation date, then id); one page. */
    list(query: ReleaseListQuery): Promise<Release[]>;
    /**
     * Changes only the fields present, and replaces the commits when `commits` is given, in one
     * transaction; null (and nothing written) when the release does not exist.
     */
    update(
      orgId: number,
      version: string,
      patch: Partial<Pick<Release, 'ref' | 'url' | 'dateReleased' | 'status'>>,
      commits?: ReplaceCommits,
    ): Promise<Release | null>;
    /** 'in-use' when an issue was first seen in it (Sentry refuses those too). */
    delete(orgId: number, version: string): Promise<'deleted' | 'missing' | 'in-use'>;
    /**
     * Replaces the release's commit list, in the given order (first = newest). Repositories are
     * created by name; a commit already known in its repository is updated where the input
     * has a value and otherwise kept.
     */
    setCommits(releaseId: number, commits: NewCommit[], now: number): Promise<void>;
    /** Names among `names` that are not repositories of the organisation. */
    unknownRepositories(orgId: number, names: string[]): Promise<string[]>;
    /** In release order (newest first). */
    commits(
      releaseId: number,
      page: { limit: number; offset: number; withFiles?: boolean },
    ): Promise<Commit[]>;
    /**
     * The newest other release sharing a project with this one, with commits, dated (released,
     * else created) no later than this one: where sentry-cli starts its local git range.
     */
    previousWithCommits(releaseId: number): Promise<Release | null>;
  };
  repositories: {
    list(orgId: number, page: { query?: string; limit: number; offset: number }): Promise<Repository[]>;
  };
  deploys: {
    /** Also records the environment for each of the deploy's projects, in the same transaction. */
    create(input: Omit<Deploy, 'id'> & { orgId: number }): Promise<Deploy>;
    /** Newest (dateFinished) first. */
    list(releaseId: number, page: { projectId?: number; limit: number; offset: number }): Promise<Deploy[]>;
  };
  environments: {
    listByProject(projectId: number): Promise<string[]>;
  };
}
