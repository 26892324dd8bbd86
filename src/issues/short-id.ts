import type { Issue, Project } from '../store/types.ts';

/** Sentry-style short id: the project slug upper-cased and the issue's number (`WEB-12`). */
export function shortIdOf(project: Pick<Project, 'slug'>, issue: Pick<Issue, 'shortIdNumber'>): string {
  return `${project.slug.toUpperCase()}-${issue.shortIdNumber}`;
}
