import type { DeploySignal } from '../store/types-incidents.ts';
import { type BlastRadius, CLASS_PHRASES, listNames, RECOMMENDATION_PHRASES } from './blast-radius.ts';
import type { SuspectDeploy } from './suspects-deploy.ts';
import type { EventRate } from './triage-counts.ts';

/**
 * One line for the timeline and chat: "many users, one feature (checkout): investigate and
 * consider rollback — 42 events/15 min (6 in the hour before), 17 users; suspect deploy web@2
 * (production), roll back to web@1".
 */
export function triageSummary(input: {
  blast: BlastRadius;
  events: EventRate;
  suspect: SuspectDeploy | null;
  rollbackTarget: DeploySignal | null;
  /** The one environment counted (null: every environment). */
  environment?: string | null;
}): string {
  const { blast, events, suspect, rollbackTarget } = input;
  const names = blast.class === 'none' ? '' : ` (${listNames(blast.features)})`;
  const users = blast.usersKnown ? `${blast.users} user${blast.users === 1 ? '' : 's'}` : 'users unknown';
  let line = `${CLASS_PHRASES[blast.class]}${names}: ${RECOMMENDATION_PHRASES[blast.recommendation]} — ${events.window} events/15 min (${events.baseline} in the hour before), ${users}`;
  if (suspect) {
    line += `; suspect deploy ${suspect.deploy.version} (${suspect.deploy.environment})`;
    if (rollbackTarget) line += `, roll back to ${rollbackTarget.version}`;
  }
  if (input.environment) line += `; ${input.environment} only`;
  return line;
}
