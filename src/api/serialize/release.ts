import type { ReleaseWithHealth } from '../../releases/health-view.ts';
import type { Project } from '../../store/types.ts';
import { serializeCommit } from './commit.ts';
import { isoDate } from './dates.ts';
import { serializeDeploy } from './deploy.ts';

const isoOrNull = (ms: number | null) => (ms === null ? null : isoDate(ms));

/**
 * Sentry's release serializer shape (reference §5.3; the Sentry MCP server's ReleaseSchema). Each
 * project says `hasHealthData` when its health was loaded, and carries `healthData` when asked for.
 */
export function serializeRelease(release: ReleaseWithHealth, projects: Map<number, Project>) {
  const info = versionInfoOf(release.version);
  return {
    id: String(release.id),
    version: release.version,
    shortVersion: info.description,
    versionInfo: info,
    status: release.status,
    ref: release.ref,
    url: release.url,
    dateCreated: isoDate(release.dateCreated),
    dateStarted: isoOrNull(release.dateStarted),
    dateReleased: isoOrNull(release.dateReleased),
    firstEvent: isoOrNull(release.firstEvent),
    lastEvent: isoOrNull(release.lastEvent),
    data: {},
    newGroups: release.projects.reduce((sum, p) => sum + p.newGroups, 0),
    owner: null,
    commitCount: release.commitCount,
    lastCommit: release.lastCommit ? serializeCommit(release.lastCommit) : null,
    authors: release.authors,
    deployCount: release.deployCount,
    lastDeploy: release.lastDeploy ? serializeDeploy(release.lastDeploy) : null,
    projects: release.projects.flatMap(({ projectId, newGroups }) => {
      const project = projects.get(projectId);
      if (!project) return [];
      return [
        {
          id: String(project.id),
          slug: project.slug,
          name: project.name,
          newGroups,
          platform: project.platform,
          platforms: project.platform ? [project.platform] : [],
          hasHealthData: release.health?.get(projectId)?.hasHealthData ?? false,
          ...(release.showHealth ? { healthData: release.health?.get(projectId) ?? null } : {}),
        },
      ];
    }),
    currentProjectMeta: {},
    userAgent: null,
  };
}

const SEMVER = /^(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-([0-9A-Za-z.-]+))?(?:\+([0-9A-Za-z.-]+))?$/;
const BUILD_HASH = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/i;

/**
 * A small take on Sentry's release parser (sentry-release-parser): `package@version+build`,
 * a semver-like version, or a commit hash (shortened to 12 characters for display).
 */
export function versionInfoOf(version: string) {
  const at = version.indexOf('@');
  const pkg = at > 0 ? version.slice(0, at) : null;
  const raw = at > 0 ? version.slice(at + 1) : version;
  const buildHash = BUILD_HASH.test(raw) ? raw.toLowerCase() : null;
  const semver = buildHash ? null : SEMVER.exec(raw);
  let description = buildHash ? buildHash.slice(0, 12) : raw;
  const parsed = semver
    ? {
        major: Number(semver[1]),
        minor: Number(semver[2] ?? 0),
        patch: Number(semver[3] ?? 0),
        pre: semver[4] ?? null,
        buildCode: semver[5] ?? null,
        components: [semver[1], semver[2], semver[3]].filter((c) => c !== undefined).length,
      }
    : null;
  if (parsed) {
    description = `${raw.split('+')[0]}${parsed.buildCode ? ` (${parsed.buildCode})` : ''}`;
  }
  return { package: pkg, version: { raw, ...parsed }, buildHash, description };
}
