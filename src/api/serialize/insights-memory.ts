import type { PastFix } from '../../memory/past-fix.ts';
import type { SimilarReport } from '../../memory/similar.ts';
import type { SimilarityReason } from '../../memory/similarity.ts';
import type { Incident } from '../../store/types-incidents.ts';
import { isoDate } from './dates.ts';

const iso = (ms: number | null): string | null => (ms === null ? null : isoDate(ms));

/** The few fields that name a past incident in lists. */
export function serializeIncidentRef(incident: Incident) {
  return {
    id: String(incident.id),
    ref: `INC-${incident.number}`,
    title: incident.title,
    severity: incident.severity,
    status: incident.status,
    declared: isoDate(incident.declaredAt),
    resolved: iso(incident.resolvedAt),
  };
}

function serializeReason(reason: SimilarityReason, slugOf: (id: number) => string) {
  const { projectIds, ...rest } = reason;
  return projectIds ? { ...rest, projects: projectIds.map(slugOf) } : rest;
}

function serializeFix(fix: PastFix) {
  return {
    mitigations: fix.mitigations.map((m) => ({ ...m, occurredAt: isoDate(m.occurredAt) })),
    resolutionOverride: fix.resolutionOverride,
  };
}

export function serializeSimilar(report: SimilarReport) {
  const slugOf = (id: number) => report.projectSlugs.get(id) ?? String(id);
  const { signature } = report;
  return {
    incident: serializeIncidentRef(report.incident),
    signature: {
      issues: signature.issues.map((i) => ({
        shortId: i.shortId,
        title: i.title,
        hashes: i.hashes,
        topFrame: i.frame,
        components: i.components,
      })),
      projects: signature.projectIds.map(slugOf),
      components: signature.components,
      componentTag: signature.componentTag,
    },
    similar: report.similar.map((s) => ({
      ...serializeIncidentRef(s.incident),
      score: s.score,
      reasons: s.reasons.map((r) => serializeReason(r, slugOf)),
      rootCause: s.incident.rootCause,
      fix: serializeFix(s.fix),
      linked: s.link !== null,
      relation: s.link?.relation ?? null,
    })),
    laterRecurrences: report.laterLinks.map(({ link, incident }) => ({
      ...serializeIncidentRef(incident),
      relation: link.relation,
    })),
    compared: report.compared,
    truncated: report.truncated,
  };
}
