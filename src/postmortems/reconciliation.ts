import { ACTION_ITEM_KINDS, type ActionItemKind } from '../store/types-postmortems.ts';
import type { ActionItemView } from './action-items.ts';
import type { PostmortemFacts } from './facts.ts';
import { isoSeconds, minutesText, oneLine, plural, rateText } from './format.ts';

/**
 * The reconciliation block of the production-incident playbook (`001_…`), in its exact layout:
 *
 *     PRODUCTION INCIDENT — <issue summary>
 *
 *     Detected:    <timestamp> via <source>
 *     Blast:       <users/scope affected>
 *     Root cause:  <one-liner from Phase 2>
 *     Action:      <rollback to v<X> | hotfix v<Y>>
 *     Resolution:  <timestamp>, took <minutes>
 *     Sentry:      <event rate before / after>
 *
 *     Linear:      <ticket URL>
 *     Post-mortem: ADR-NNNN
 *
 *     Action items: <count> (tests:N, monitors:N, gates:N)
 *
 * The `Sentry:` label stays: the line is the error tracker's event rate, and Firebreak is the
 * error tracker the Sentry SDKs report to. "took" is measured from the impact start (the first
 * event), as the incident's time to resolve is. Action items marked won't do are not counted;
 * kinds beyond the playbook's three are listed after them only when there are some.
 */
export function reconciliationBlock(input: {
  facts: PostmortemFacts;
  adr: string;
  rootCause: string | null;
  actionItems: ActionItemView[];
}): string {
  const { facts, adr, rootCause, actionItems } = input;
  const { incident, impact, rates } = facts;
  const detected = incident.detectedAt ?? incident.declaredAt;
  const resolution =
    incident.resolvedAt === null
      ? `not resolved yet (${minutesText(facts.generatedAt - impact.start)} so far)`
      : `${isoSeconds(incident.resolvedAt)}, took ${minutesText(incident.resolvedAt - impact.start)}`;
  const during = rates.duringPerMinute === null ? '' : ` (${rateText(rates.duringPerMinute)} during)`;
  return [
    `PRODUCTION INCIDENT — ${oneLine(incident.title)}`,
    '',
    `Detected:    ${isoSeconds(detected)} via ${oneLine(incident.detectionSource ?? 'manual', 100)}`,
    `Blast:       ${blastLine(facts)}`,
    `Root cause:  ${rootCause ? oneLine(rootCause.split('\n')[0], 160) : 'not recorded yet'}`,
    `Action:      ${actionLine(facts)}`,
    `Resolution:  ${resolution}`,
    `Sentry:      ${rateText(rates.baselinePerMinute)} before / ${rateText(rates.afterPerMinute)} after${during}`,
    '',
    `Linear:      ${incident.ticketUrl ?? 'none'}`,
    `Post-mortem: ${adr}`,
    '',
    `Action items: ${countsLine(actionItems)}`,
  ].join('\n');
}

function blastLine(facts: PostmortemFacts): string {
  const { blast } = facts;
  if (blast.class === 'none') return `no events in the 75 min before ${isoSeconds(blast.at)}`;
  const users = blast.usersKnown ? plural(blast.users, 'user') : 'users unknown';
  const noun = blast.features.dimension === 'project' ? 'project' : 'feature';
  const all = blast.features.names.map((f) => f.name);
  // As triage's listNames: up to three names, then how many more.
  const names = `${all.slice(0, 3).join(', ')}${all.length > 3 ? ` +${all.length - 3} more` : ''}`;
  return oneLine(`${users}, ${plural(blast.features.names.length, noun)} (${names}) — ${blast.phrase}`, 200);
}

function actionLine(facts: PostmortemFacts): string {
  if (facts.mitigations.length === 0) return 'none recorded';
  return oneLine(
    facts.mitigations
      .map((m) =>
        m.type === 'rollback'
          ? `rollback to ${m.release}`
          : m.type === 'hotfix'
            ? `hotfix ${m.release}`
            : oneLine(m.text, 80),
      )
      .join(', then '),
    200,
  );
}

const PLURALS: Record<ActionItemKind, string> = {
  test: 'tests',
  monitor: 'monitors',
  gate: 'gates',
  process: 'process',
  other: 'other',
};

function countsLine(items: ActionItemView[]): string {
  const counted = items.filter((v) => v.item.status !== 'wont_do');
  const count = (kind: ActionItemKind) => counted.filter((v) => v.item.kind === kind).length;
  const parts = ACTION_ITEM_KINDS.filter(
    (k) => k === 'test' || k === 'monitor' || k === 'gate' || count(k) > 0,
  ).map((kind) => `${PLURALS[kind]}:${count(kind)}`);
  return `${counted.length} (${parts.join(', ')})`;
}
