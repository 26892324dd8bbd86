import type { Incident } from '../store/types-incidents.ts';
import { monthOf } from './metrics-stats.ts';
import type { IncidentSignature } from './signature.ts';

/**
 * The fragile areas (`001_…`'s memory hook: "trend across months reveals fragile areas worth
 * structural refactors"): incidents per project and per component, per month. An incident
 * counts once for each project and component it involved (its signature's), so a two-project
 * incident shows in both rows.
 */
export interface AreaRow {
  name: string;
  total: number;
  /** Aligned with `months`. */
  perMonth: number[];
  /** The incidents, newest first (refs). */
  incidents: string[];
}

export interface FragileAreas {
  months: string[];
  projects: AreaRow[];
  components: AreaRow[];
}

function rows(months: string[], incidents: Incident[], namesOf: (incident: Incident) => string[]): AreaRow[] {
  const byName = new Map<string, AreaRow>();
  for (const incident of incidents) {
    const month = months.indexOf(monthOf(incident.declaredAt));
    for (const name of new Set(namesOf(incident))) {
      const row = byName.get(name) ?? { name, total: 0, perMonth: months.map(() => 0), incidents: [] };
      row.total += 1;
      if (month >= 0) row.perMonth[month] += 1;
      row.incidents.push(`INC-${incident.number}`);
      byName.set(name, row);
    }
  }
  // Most incidents first; then the area whose latest month is worse; then by name.
  return [...byName.values()].sort(
    (a, b) =>
      b.total - a.total ||
      b.perMonth[b.perMonth.length - 1] - a.perMonth[a.perMonth.length - 1] ||
      (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  );
}

/** `incidents` newest first, as the store lists them. */
export function fragileAreas(
  months: string[],
  incidents: Incident[],
  signatures: Map<number, IncidentSignature>,
  slugOf: (projectId: number) => string,
): FragileAreas {
  return {
    months,
    projects: rows(months, incidents, (i) => (signatures.get(i.id)?.projectIds ?? []).map(slugOf)),
    components: rows(months, incidents, (i) => signatures.get(i.id)?.components ?? []),
  };
}
