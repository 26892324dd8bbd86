import { hintsOf } from '../../postmortems/hints.ts';
import { NARRATIVE_FIELDS } from '../../postmortems/narrative.ts';
import type { PostmortemView } from '../../postmortems/view.ts';
import { isoDate } from './dates.ts';
import { serializeActionItem } from './postmortem-action-item.ts';

const iso = (ms: number | null): string | null => (ms === null ? null : isoDate(ms));
const seconds = (from: number | null, to: number | null): number | null =>
  from === null || to === null ? null : Math.max(0, Math.round((to - from) / 1000));

/** The post-mortem as JSON: the generated facts (RFC 3339 dates), the narrative, live action items. */
export function serializePostmortem(view: PostmortemView, links: { chartUrl: string }) {
  const { postmortem, facts, incident } = view;
  const f = facts.incident;
  const detected = f.detectedAt ?? f.declaredAt;
  const impactStart = facts.impact.start;
  return {
    id: String(postmortem.id),
    adr: view.adr,
    number: postmortem.number,
    status: view.status,
    stale: view.stale,
    version: postmortem.version,
    incident: { id: String(incident.id), ref: f.ref, title: incident.title, status: incident.status },
    generatedAt: isoDate(postmortem.generatedAt),
    generatedBy: postmortem.generatedBy,
    updatedBy: postmortem.updatedBy,
    dateCreated: isoDate(postmortem.createdAt),
    dateUpdated: isoDate(postmortem.updatedAt),
    narrative: Object.fromEntries(NARRATIVE_FIELDS.map((k) => [k, postmortem.narrative[k] ?? null])),
    effective: view.effective,
    reconciliation: view.reconciliation,
    impact: {
      ...facts.impact,
      start: isoDate(facts.impact.start),
      end: isoDate(facts.impact.end),
      perIssue: facts.impact.perIssue.map((i) => ({ ...i, issueId: String(i.issueId) })),
    },
    milestones: {
      firstEvent: iso(f.firstEventAt),
      detected: iso(f.detectedAt),
      declared: isoDate(f.declaredAt),
      acknowledged: iso(f.acknowledgedAt),
      mitigated: iso(f.mitigatedAt),
      resolved: iso(f.resolvedAt),
    },
    durations: {
      timeToDetect: seconds(f.firstEventAt, detected),
      timeToAcknowledge: seconds(detected, f.acknowledgedAt),
      timeToMitigate: seconds(impactStart, f.mitigatedAt),
      timeToResolve: seconds(impactStart, f.resolvedAt),
    },
    detection: { source: f.detectionSource ?? 'manual', responseTargetMinutes: facts.responseTargetMinutes },
    rootCause: f.rootCause,
    ticketUrl: f.ticketUrl,
    blast: { ...facts.blast, at: isoDate(facts.blast.at) },
    rates: { ...facts.rates, at: isoDate(facts.rates.at) },
    mitigations: facts.mitigations.map((m) => ({ ...m, at: isoDate(m.at) })),
    suspects: {
      deploy: facts.suspects.deploy
        ? { ...facts.suspects.deploy, finishedAt: isoDate(facts.suspects.deploy.finishedAt) }
        : null,
      rollbackTarget: facts.suspects.rollbackTarget
        ? { ...facts.suspects.rollbackTarget, finishedAt: isoDate(facts.suspects.rollbackTarget.finishedAt) }
        : null,
      commits: facts.suspects.commits,
    },
    fromTheData: hintsOf(facts),
    timeline: facts.timeline.map((row) => ({ ...row, at: isoDate(row.at) })),
    chart: {
      url: links.chartUrl,
      bucketMinutes: facts.chart.bucketMinutes,
      start: isoDate(facts.chart.start),
      end: isoDate(facts.chart.end),
      series: facts.chart.series.map((s) => ({
        ...s,
        issueId: s.issueId === null ? null : String(s.issueId),
      })),
      markers: facts.chart.markers.map((m) => ({ ...m, at: isoDate(m.at) })),
    },
    actionItems: view.actionItems.map(serializeActionItem),
    revisit: view.revisit,
  };
}
