import type { Committer } from '../../releases/get-committers.ts';
import type { Commit, Repository } from '../../store/types-releases.ts';
import { isoDate } from './dates.ts';

/** Sentry's repository serializer; repositories here come from commits, with no integration behind them. */
export function serializeRepository(repository: Repository) {
  return {
    id: String(repository.id),
    name: repository.name,
    url: repository.url,
    provider: { id: 'unknown', name: 'Unknown Provider' },
    status: 'active',
    dateCreated: isoDate(repository.createdAt),
    integrationId: null,
    externalSlug: null,
    externalId: null,
  };
}

/** Sentry's commit serializer: `id` is the hash; the author is the commit's name and email. */
export function serializeCommit(commit: Commit) {
  const hasAuthor = commit.authorName !== null || commit.authorEmail !== null;
  return {
    id: commit.sha,
    message: commit.message,
    dateCreated: isoDate(commit.dateCreated),
    pullRequest: null,
    repository: serializeRepository(commit.repository),
    author: hasAuthor ? { name: commit.authorName, email: commit.authorEmail } : null,
  };
}

export function serializeCommitters(committers: Committer[]) {
  return {
    committers: committers.map(({ author, commits }) => ({
      author,
      commits: commits.map(({ commit, score }) => ({
        ...serializeCommit(commit),
        suspectCommitType: 'via commit in release',
        score,
      })),
    })),
  };
}
