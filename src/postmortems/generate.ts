import { AppError, conflict } from '../app-error.ts';
import type { Principal } from '../auth/principal.ts';
import type { AppContext } from '../context.ts';
import { formatIncidentRef, type IncidentContext } from '../incidents/access.ts';
import type { Incident } from '../store/types-incidents.ts';
import type { Postmortem } from '../store/types-postmortems.ts';
import { gatherFacts } from './facts.ts';
import { adrRef } from './format.ts';

/**
 * POST /incidents/{ref}/postmortem/ — generates the post-mortem from the incident's data. The
 * first generation allocates the organisation's next ADR number and says so on the timeline;
 * later ones refresh the data parts and keep what people wrote. Once the incident is closed the
 * post-mortem is final and is not regenerated (409).
 */
export async function generatePostmortem(
  ctx: AppContext,
  principal: Principal,
  loaded: IncidentContext,
): Promise<{ postmortem: Postmortem; created: boolean }> {
  const { org, incident } = loaded;
  // Closed, the post-mortem is final: what was signed off stays as it was.
  if (incident.status === 'closed' && (await ctx.store.postmortems.getByIncident(incident.id))) {
    const ref = formatIncidentRef(incident);
    throw conflict(
      `${ref} is closed and its post-mortem is final; reopen the incident to regenerate it (npx firebreak incident update ${ref} --status investigating)`,
    );
  }
  const facts = await gatherFacts(ctx, loaded);
  const now = ctx.clock.now();
  return ctx.store.postmortems.generate({
    orgId: org.id,
    incidentId: incident.id,
    facts: facts as unknown as Record<string, unknown>,
    actor: principal.actor,
    now,
    entriesOnCreate: (created) => [
      {
        kind: 'postmortem',
        body: `Post-mortem ${adrRef(created.number)} generated`,
        data: { postmortem: adrRef(created.number), action: 'generated' },
        actor: principal.actor,
        occurredAt: now,
        dedupeKey: 'postmortem',
      },
    ],
  });
}

/** The incident's post-mortem; 404 saying how to make one when there is none yet. */
export async function requirePostmortem(ctx: AppContext, incident: Incident): Promise<Postmortem> {
  const postmortem = await ctx.store.postmortems.getByIncident(incident.id);
  if (!postmortem) {
    throw new AppError(
      'NOT_FOUND',
      `${formatIncidentRef(incident)} has no post-mortem yet: generate it with POST …/incidents/${formatIncidentRef(incident)}/postmortem/ (npx firebreak postmortem ${formatIncidentRef(incident)} --generate)`,
    );
  }
  return postmortem;
}
