import { conflict, invalid } from '../app-error.ts';
import type { Principal } from '../auth/principal.ts';
import type { AppContext } from '../context.ts';
import { formatIncidentRef, type IncidentContext } from '../incidents/access.ts';
import { applyChange } from '../incidents/change.ts';
import type { Incident } from '../store/types-incidents.ts';
import { adrRef } from './format.ts';

/**
 * POST /incidents/{ref}/close/ — the post-incident step after resolved (as incident.io's
 * "closed"): `001_…` makes the post-mortem mandatory, so closing needs a resolved incident and a
 * post-mortem generated since it was resolved (one generated earlier would not hold the
 * resolution). Otherwise 400 names everything missing. The change is conditional: a concurrent
 * change (a reopen) makes it 409. Moving a closed incident to another status reopens it.
 */
export async function closeIncident(
  ctx: AppContext,
  principal: Principal,
  { incident }: IncidentContext,
): Promise<Incident> {
  const ref = formatIncidentRef(incident);
  if (incident.status === 'closed') throw conflict(`${ref} is already closed`);
  const postmortem = await ctx.store.postmortems.getByIncident(incident.id);
  const missing: string[] = [];
  if (incident.status !== 'resolved') {
    missing.push(`to be resolved first (it is ${incident.status}; POST …/resolve/)`);
  }
  if (!postmortem) {
    missing.push(
      `a post-mortem (generate it with POST …/incidents/${ref}/postmortem/, or firebreak postmortem ${ref} --generate)`,
    );
  } else if (incident.resolvedAt !== null && postmortem.generatedAt < incident.resolvedAt) {
    missing.push(
      `a post-mortem generated since it was resolved (${adrRef(postmortem.number)} predates the resolution; regenerate it with POST …/postmortem/ or firebreak postmortem ${ref} --generate)`,
    );
  }
  if (missing.length > 0) throw invalid(`${ref} cannot be closed yet: it needs ${missing.join(' and ')}`);
  const now = ctx.clock.now();
  const adr = adrRef(postmortem!.number);
  return applyChange(ctx, incident, {
    fields: { status: 'closed' },
    entries: [
      {
        kind: 'closed',
        body: `Closed — post-mortem ${adr}`,
        data: { from: incident.status, postmortem: adr },
        actor: principal.actor,
        occurredAt: now,
      },
    ],
    now,
  });
}
