import { ApiRefused } from './api-client.ts';
import { type CheckContext, once } from './context.ts';
import { cleanText } from './mask.ts';

/**
 * Slug discovery as the playbook gives it: a missing slug with one candidate is auto-selected
 * (and said so); a supplied slug that does not exist fails and lists the candidates; several
 * candidates for a missing slug fail fast and ask for --org / --project.
 */

export interface Target {
  org: string;
  project: string;
  projectId: string;
}

export type SlugProblem = 'invalid' | 'ambiguous' | 'missing' | 'none';

export type SlugResolution =
  | { ok: true; target: Target; facts: string[] }
  | { ok: false; problem: SlugProblem; message: string; facts: string[]; org: string | null };

interface Named {
  slug: string;
  id?: string | number;
}

const MAX_LIST_PAGES = 10;
const MAX_CANDIDATES_SHOWN = 20;

export function resolveTarget(ctx: CheckContext): Promise<SlugResolution> {
  return once(ctx, 'slugs', () => discover(ctx));
}

/**
 * The resolution an API check already made, or null: reporting and checkpointing never start
 * new requests (after a network failure that would only wait out another timeout).
 */
export async function knownTarget(ctx: CheckContext): Promise<Target | null> {
  if (!ctx.memo.has('slugs')) return null;
  const resolution = await resolveTarget(ctx).catch(() => null);
  return resolution?.ok ? resolution.target : null;
}

async function discover(ctx: CheckContext): Promise<SlugResolution> {
  const { options } = ctx;
  const facts: string[] = [];
  const orgs = await pickOne(ctx, {
    kind: 'organisation',
    flag: '--org',
    given: options.org,
    givenFrom: options.orgSource,
    exists: async (slug) => (await getOrNull(ctx, `/api/0/organizations/${enc(slug)}/`)) !== null,
    list: () => listSlugs(ctx, '/api/0/organizations/'),
  });
  if (!orgs.ok) return { ...orgs, facts, org: null };
  facts.push(orgs.fact);
  const org = orgs.slug;
  let projects: Named[] | null = null;
  const projectList = async () => {
    projects ??= await listSlugs(ctx, `/api/0/organizations/${enc(org)}/projects/`);
    return projects;
  };
  const project = await pickOne(ctx, {
    kind: 'project',
    flag: '--project',
    given: options.project,
    givenFrom: options.projectSource,
    exists: async (slug) => (await projectList()).some((p) => p.slug === slug),
    list: projectList,
  });
  if (!project.ok) return { ...project, facts, org };
  facts.push(project.fact);
  const projectId = String((await projectList()).find((p) => p.slug === project.slug)?.id ?? '');
  return { ok: true, target: { org, project: project.slug, projectId }, facts };
}

type Pick = { ok: true; slug: string; fact: string } | { ok: false; problem: SlugProblem; message: string };

async function pickOne(
  ctx: CheckContext,
  spec: {
    kind: string;
    flag: string;
    given: string | null;
    givenFrom: string | null;
    exists: (slug: string) => Promise<boolean>;
    list: () => Promise<Named[]>;
  },
): Promise<Pick> {
  if (spec.given) {
    if (await spec.exists(spec.given)) {
      return { ok: true, slug: spec.given, fact: `${spec.kind} ${spec.given} (from ${spec.givenFrom})` };
    }
    const candidates = (await spec.list()).map((c) => c.slug);
    return {
      ok: false,
      problem: 'invalid',
      message: `${spec.kind} "${cleanText(spec.given, 60)}" (from ${spec.givenFrom}) does not exist or the token cannot see it; candidates: ${shown(candidates)}`,
    };
  }
  if (!ctx.options.autoSlugDiscovery) {
    return {
      ok: false,
      problem: 'missing',
      message: `no ${spec.kind} given and auto slug discovery is off: pass ${spec.flag}`,
    };
  }
  const candidates = (await spec.list()).map((c) => c.slug);
  if (candidates.length === 1) {
    return {
      ok: true,
      slug: candidates[0],
      fact: `${spec.kind} ${candidates[0]} auto-selected: the only ${spec.kind} the token can see`,
    };
  }
  if (candidates.length === 0) {
    return { ok: false, problem: 'none', message: `the token can see no ${spec.kind}` };
  }
  return {
    ok: false,
    problem: 'ambiguous',
    message: `${candidates.length} ${spec.kind}s to choose from (${shown(candidates)}): pass ${spec.flag}`,
  };
}

async function listSlugs(ctx: CheckContext, path: string): Promise<Named[]> {
  const { items } = await ctx.api.getAll<Named>(path, { per_page: 100 }, MAX_LIST_PAGES);
  return items
    .filter((item) => typeof item?.slug === 'string')
    .map((item) => ({ slug: cleanText(item.slug, 100), id: item.id }))
    .sort((a, b) => (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0));
}

/** 404 (and 403, which Sentry answers for an organisation the token is not in) mean "not this one". */
async function getOrNull(ctx: CheckContext, path: string): Promise<unknown> {
  try {
    return (await ctx.api.get(path)).body;
  } catch (error) {
    if (error instanceof ApiRefused && (error.status === 404 || error.status === 403)) return null;
    throw error;
  }
}

function shown(slugs: string[]): string {
  if (slugs.length === 0) return 'none';
  const head = slugs.slice(0, MAX_CANDIDATES_SHOWN).join(', ');
  return slugs.length > MAX_CANDIDATES_SHOWN ? `${head}, … (${slugs.length} in all)` : head;
}

export const enc = encodeURIComponent;
