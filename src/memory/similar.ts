import { z } from 'zod';
import type { AppContext } from '../context.ts';
import type { IncidentContext } from '../incidents/access.ts';
import type { Incident } from '../store/types-incidents.ts';
import type { IncidentLink } from '../store/types-runbooks.ts';
import { parseInput } from '../validation.ts';
import { type PastFix, pastFixOf } from './past-fix.ts';
import { type IncidentSignature, loadMemoryScope, signaturesOf } from './signature.ts';
import { compareSignatures, rankSimilar, type SimilarityReason, scoreOf } from './similarity.ts';

/** The most recent earlier incidents compared; older ones are beyond this memory's reach. */
export const MAX_CANDIDATES = 200;

const SimilarQuery = z.object({
  limit: z.coerce.number().int().min(1).max(50).default(10),
});

export interface SimilarIncident {
  incident: Incident;
  score: number;
  reasons: SimilarityReason[];
  fix: PastFix;
  /** The link recorded when the later incident was declared (a recurrence), if any. */
  link: IncidentLink | null;
}

export interface SimilarReport {
  incident: Incident;
  signature: IncidentSignature;
  similar: SimilarIncident[];
  /** Earlier incidents compared, and whether older ones were left out. */
  compared: number;
  truncated: boolean;
  /** Later incidents declared as recurrences of (or related to) this one. */
  laterLinks: { link: IncidentLink; incident: Incident }[];
  projectSlugs: Map<number, string>;
}

/** GET /incidents/{ref}/similar/ — earlier incidents like this one, best match first, with their fix. */
export async function findSimilarIncidents(
  ctx: AppContext,
  { org, incident }: IncidentContext,
  query: unknown,
): Promise<SimilarReport> {
  const { limit } = parseInput(SimilarQuery, query);
  const scope = await loadMemoryScope(ctx, org);
  const slugOf = (id: number) => scope.projects.get(id)?.slug ?? String(id);
  const declared = await ctx.store.incidentMemory.listDeclared({
    orgId: org.id,
    start: 0,
    end: incident.declaredAt + 1,
    // The incident itself is among them, and one more says whether older ones were left out.
    limit: MAX_CANDIDATES + 2,
  });
  const earlier = declared.filter((i) => i.id !== incident.id && i.number < incident.number);
  const past = earlier.slice(0, MAX_CANDIDATES);
  const signatures = await signaturesOf(ctx, scope, [incident, ...past]);
  const current = signatures.get(incident.id)!;
  const scored = past.flatMap((candidate) => {
    const reasons = compareSignatures(current, signatures.get(candidate.id)!, slugOf);
    if (reasons.length === 0) return [];
    return [
      {
        candidate,
        reasons,
        score: scoreOf(reasons),
        declaredAt: candidate.declaredAt,
        number: candidate.number,
      },
    ];
  });
  const links = await ctx.store.incidentMemory.links(incident.id);
  const similar: SimilarIncident[] = [];
  for (const item of rankSimilar(scored).slice(0, limit)) {
    similar.push({
      incident: item.candidate,
      score: item.score,
      reasons: item.reasons,
      fix: await pastFixOf(ctx, item.candidate),
      link: links.find((l) => l.incidentId === incident.id && l.relatedId === item.candidate.id) ?? null,
    });
  }
  const laterLinks: SimilarReport['laterLinks'] = [];
  for (const link of links.filter((l) => l.relatedId === incident.id)) {
    const later = await ctx.store.incidents.getById(link.incidentId);
    if (later) laterLinks.push({ link, incident: later });
  }
  return {
    incident,
    signature: current,
    similar,
    compared: past.length,
    truncated: earlier.length > MAX_CANDIDATES,
    laterLinks,
    projectSlugs: new Map([...scope.projects].map(([id, p]) => [id, p.slug])),
  };
}
