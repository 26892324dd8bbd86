import type { TimelineEntryView } from '../incidents/timeline.ts';
import type { Incident } from '../store/types-incidents.ts';

/** One row of the post-mortem's timeline: a milestone, or an entry worth reading back. */
export interface TimelineRow {
  at: number;
  /** `milestone:<name>` or the entry's kind. */
  kind: string;
  text: string;
  starred: boolean;
  actor: string | null;
}

/** Entry kinds that always make the post-mortem's timeline; any other entry needs a star. */
const KEPT_KINDS = new Set(['deploy', 'mitigation', 'reopened', 'closed']);
/** Entries a milestone already tells (at the same moment). */
const MILESTONE_OF: Record<string, string> = {
  declared: 'declared',
  acknowledged: 'acknowledged',
  resolved: 'resolved',
};
const MAX_ROWS = 100;

/** Milestones from the incident, then deploys, mitigations and every starred entry, in time order. */
export function timelineRows(incident: Incident, entries: TimelineEntryView[]): TimelineRow[] {
  const source = incident.detectionSource ?? 'manual';
  const milestones: [string, number | null, string][] = [
    ['first_event', incident.firstEventAt, 'First event of the linked issues'],
    ['detected', incident.detectedAt, `Detected via ${source}`],
    ['declared', incident.declaredAt, `Declared (${severityAtDeclaration(incident, entries)})`],
    ['acknowledged', incident.acknowledgedAt, 'Acknowledged'],
    ['mitigated', incident.mitigatedAt, 'Mitigated (first mitigation)'],
    ['resolved', incident.resolvedAt, 'Resolved'],
  ];
  const rows: TimelineRow[] = milestones.flatMap(([name, at, text]) =>
    at === null ? [] : [{ at, kind: `milestone:${name}`, text, starred: false, actor: null }],
  );
  const has = (name: string, at: number) => rows.some((r) => r.kind === `milestone:${name}` && r.at === at);
  for (const entry of entries) {
    const milestone = MILESTONE_OF[entry.kind];
    if (milestone && has(milestone, entry.occurredAt) && !entry.starred) continue;
    if (!entry.starred && !KEPT_KINDS.has(entry.kind)) continue;
    rows.push({
      at: entry.occurredAt,
      kind: entry.kind,
      text: entry.body,
      starred: entry.starred,
      actor: entry.actorName,
    });
  }
  // The first mitigation's own row says what it was; the milestone row would only repeat its time.
  const firstMitigation = rows.find((r) => r.kind === 'mitigation' && r.at === incident.mitigatedAt);
  const kept = firstMitigation ? rows.filter((r) => r.kind !== 'milestone:mitigated') : rows;
  return kept.sort((a, b) => a.at - b.at).slice(0, MAX_ROWS);
}

/**
 * The severity the incident was declared at, as its own timeline tells it: the `declared`
 * entry's, else the first severity change's `from`, else (no history) the current one.
 */
export function severityAtDeclaration(incident: Incident, entries: TimelineEntryView[]): string {
  const declared = entries.find((e) => e.kind === 'declared' && typeof e.data?.severity === 'string');
  if (declared) return declared.data.severity as string;
  const firstChange = entries
    .filter((e) => e.kind === 'severity' && typeof e.data?.from === 'string')
    .sort((a, b) => a.occurredAt - b.occurredAt || a.id - b.id)[0];
  return firstChange ? (firstChange.data.from as string) : incident.severity;
}
