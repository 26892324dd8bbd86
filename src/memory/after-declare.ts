import type { AppContext } from '../context.ts';
import { runbookEntries, suggestRunbooks } from '../runbooks/suggest.ts';
import type { Org } from '../store/types.ts';
import type { Incident } from '../store/types-incidents.ts';
import { linkEarlierIncidents } from './recurrence.ts';
import { loadMemoryScope, signaturesOf } from './signature.ts';

/**
 * What Firebreak remembers once an incident is declared: its signature (while its events are
 * fresh), its links to earlier incidents on the same issue, and the runbooks that apply, each on
 * the timeline. The declaration has committed by now: a failure here is logged and must not
 * turn it into an error answer, or the client would declare the incident a second time.
 */
export async function afterDeclare(ctx: AppContext, org: Org, incident: Incident): Promise<void> {
  try {
    const scope = await loadMemoryScope(ctx, org);
    await signaturesOf(ctx, scope, [incident]);
    await linkEarlierIncidents(ctx, scope, incident);
    const now = ctx.clock.now();
    const entries = runbookEntries(await suggestRunbooks(ctx, org, incident), now);
    if (entries.length > 0) await ctx.store.timeline.add(incident.id, entries, now);
  } catch (error) {
    ctx.logger.error({ err: error, incident: incident.id }, 'incident memory after declaration failed');
  }
}
