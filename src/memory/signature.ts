import type { AppContext } from '../context.ts';
import { loadIncidentSettings } from '../incidents/settings.ts';
import { latestEvent, topFrameOf } from '../incidents/triage-frames.ts';
import { shortIdOf } from '../issues/short-id.ts';
import type { Org, Project } from '../store/types.ts';
import { hasEnded, type Incident } from '../store/types-incidents.ts';

/**
 * What an incident was about, for memory: per linked issue its grouping hashes, the top in-app
 * frame of its latest event (file and function; lines move between releases) and the values of
 * the organisation's component tag; plus the projects and components its services name. It is
 * stored per incident: retention prunes old events and tag values, and a resolved incident's
 * memory must outlive them. Open incidents are recomputed on every read (links change); a
 * resolved one only when its links, services or the component tag changed, and then an issue
 * whose events are gone keeps the frame and components it had.
 */

export const SIGNATURE_VERSION = 1;
const MAX_COMPONENTS_PER_ISSUE = 20;

export interface IssueMark {
  issueId: number;
  projectId: number;
  shortId: string;
  title: string;
  hashes: string[];
  /** `file` is the frame's filename (else module, else path). */
  frame: { file: string; function: string } | null;
  components: string[];
}

export interface IncidentSignature {
  version: number;
  componentTag: string | null;
  services: string[];
  issues: IssueMark[];
  /** The issues' projects and the projects the services name. */
  projectIds: number[];
  /** Component tag values of the issues, and services naming no project (lowercase). */
  components: string[];
}

/** The organisation's projects and component tag, read once per request. */
export interface MemoryScope {
  org: Org;
  projects: Map<number, Project>;
  componentTag: string | null;
}

export async function loadMemoryScope(ctx: AppContext, org: Org): Promise<MemoryScope> {
  const projects = new Map((await ctx.store.projects.listByOrg(org.id)).map((p) => [p.id, p]));
  return { org, projects, componentTag: (await loadIncidentSettings(ctx, org.id)).componentTag };
}

/** Frame identity: file and function of an in-app crash frame; null for anything less. */
export const frameKey = (frame: IssueMark['frame']): string | null =>
  frame ? `${frame.file} in ${frame.function}` : null;

async function markIssue(
  ctx: AppContext,
  scope: MemoryScope,
  issueId: number,
  previous: IssueMark | undefined,
): Promise<IssueMark | null> {
  const issue = await ctx.store.issues.getById(issueId);
  const project = issue ? scope.projects.get(issue.projectId) : undefined;
  if (!issue || !project) return previous ?? null;
  const latest = await latestEvent(ctx, issue.id);
  const top = latest ? topFrameOf(latest.eventId, latest.event) : null;
  const file = top?.filename ?? top?.module ?? top?.absPath ?? null;
  const frame =
    top?.inApp && file && top.function
      ? { file, function: top.function }
      : latest
        ? null
        : (previous?.frame ?? null);
  const tagged = scope.componentTag
    ? (await ctx.store.issues.tagValues(issue.id, scope.componentTag))
        .slice(0, MAX_COMPONENTS_PER_ISSUE)
        .map((t) => t.value.toLowerCase())
    : [];
  return {
    issueId: issue.id,
    projectId: project.id,
    shortId: shortIdOf(project, issue),
    title: issue.title,
    hashes: await ctx.store.issues.hashes(issue.id),
    frame,
    components: tagged.length > 0 ? tagged : (previous?.components ?? []),
  };
}

/** `service:api` names component `api` when the component tag is `service`; a bare name is itself. */
function serviceComponent(service: string, componentTag: string | null): string {
  const lower = service.trim().toLowerCase();
  const prefix = componentTag ? `${componentTag.toLowerCase()}:` : null;
  return prefix && lower.startsWith(prefix) ? lower.slice(prefix.length) : lower;
}

export async function computeSignature(
  ctx: AppContext,
  scope: MemoryScope,
  incident: Incident,
  previous: IncidentSignature | null,
): Promise<IncidentSignature> {
  const issues: IssueMark[] = [];
  for (const issueId of incident.issueIds) {
    const mark = await markIssue(
      ctx,
      scope,
      issueId,
      previous?.issues.find((i) => i.issueId === issueId),
    );
    if (mark) issues.push(mark);
  }
  const bySlug = new Map([...scope.projects.values()].map((p) => [p.slug, p.id]));
  const projectIds = new Set(issues.map((i) => i.projectId));
  const components = new Set(issues.flatMap((i) => i.components));
  for (const service of incident.services) {
    const projectId = bySlug.get(service);
    if (projectId !== undefined) projectIds.add(projectId);
    else components.add(serviceComponent(service, scope.componentTag));
  }
  return {
    version: SIGNATURE_VERSION,
    componentTag: scope.componentTag,
    services: incident.services,
    issues,
    projectIds: [...projectIds].sort((a, b) => a - b),
    components: [...components].sort(),
  };
}

const sameList = <T>(a: T[], b: T[]) => a.length === b.length && a.every((v, i) => v === b[i]);

function isCurrent(stored: IncidentSignature, incident: Incident, scope: MemoryScope): boolean {
  return (
    hasEnded(incident.status) &&
    stored.version === SIGNATURE_VERSION &&
    stored.componentTag === scope.componentTag &&
    sameList(stored.services, incident.services) &&
    sameList(
      stored.issues.map((i) => i.issueId),
      incident.issueIds,
    )
  );
}

/** JSON with sorted keys: PostgreSQL's jsonb gives keys back in its own order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Signatures of the incidents: stored ones where still current, else computed (and stored if changed). */
export async function signaturesOf(
  ctx: AppContext,
  scope: MemoryScope,
  incidents: Incident[],
): Promise<Map<number, IncidentSignature>> {
  const stored = await ctx.store.incidentMemory.signatures(incidents.map((i) => i.id));
  const result = new Map<number, IncidentSignature>();
  for (const incident of incidents) {
    const previous = (stored.get(incident.id)?.signature ?? null) as IncidentSignature | null;
    if (previous && isCurrent(previous, incident, scope)) {
      result.set(incident.id, previous);
      continue;
    }
    const fresh = await computeSignature(
      ctx,
      scope,
      incident,
      previous?.version === SIGNATURE_VERSION ? previous : null,
    );
    if (canonical(fresh) !== canonical(previous)) {
      await ctx.store.incidentMemory.putSignature(incident.id, { ...fresh }, ctx.clock.now());
    }
    result.set(incident.id, fresh);
  }
  return result;
}
