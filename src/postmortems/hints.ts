import type { PostmortemFacts } from './facts.ts';
import { durationMsText, durationText, isoSeconds } from './format.ts';

/**
 * What the data says under each narrative heading: facts people start writing from, never
 * opinions. Plain text; the Markdown renderer escapes it (it quotes release names and the like).
 */
export interface Hints {
  detection: string[];
  tests: string[];
  wentWell: string[];
  wentBadly: string[];
}

/** Detection slower than this is worth a line under "what went badly". */
const SLOW_DETECTION_SECONDS = 5 * 60;

export function hintsOf(facts: PostmortemFacts): Hints {
  const { incident, impact, suspects, rates } = facts;
  const detected = incident.detectedAt ?? incident.declaredAt;
  const source = incident.detectionSource ?? 'manual';
  const toDetect =
    incident.firstEventAt === null
      ? null
      : Math.max(0, Math.round((detected - incident.firstEventAt) / 1000));
  const detection: string[] = [];
  if (toDetect === null) {
    detection.push(
      'The first event is unknown (the linked issues are older than the incident): time to detect cannot be measured.',
    );
  } else {
    detection.push(
      source === 'alert'
        ? // The source says how it was detected, not who declared it (a person may declare what an alert raised).
          `It was detected by an alert, ${durationText(toDetect)} after the first event.`
        : `It was ${source === 'manual' ? 'declared by hand' : `detected via ${source}`}, ${durationText(toDetect)} after the first event: no alert declared it.`,
    );
  }
  const tests: string[] = [];
  if (suspects.deploy) {
    const first = incident.firstEventAt ?? impact.start;
    const { version, environment, finishedAt, reasons } = suspects.deploy;
    // A deploy suspected for a jump in an older issue's rate finished after the errors began.
    const when =
      first >= finishedAt
        ? `The errors began ${durationMsText(first - finishedAt)} after deploy ${version} to ${environment} finished`
        : `The errors began ${durationMsText(finishedAt - first)} before deploy ${version} to ${environment} finished, and grew after it`;
    tests.push(`${when} (${reasons.join(', ')}).`);
    for (const commit of suspects.commits.slice(0, 5)) {
      tests.push(
        `Suspect commit ${commit.sha.slice(0, 12)}${commit.message ? ` "${commit.message.split('\n')[0]}"` : ''}${commit.author ? ` by ${commit.author}` : ''}: ${commit.files.join(', ')}`,
      );
    }
  } else {
    tests.push(
      'No deploy of the affected projects explains the first events: the cause may not be a code change.',
    );
  }
  if (impact.releases.length > 0) {
    tests.push(
      `Releases in the incident's events: ${impact.releases.map((r) => `${r.value} (${r.count})`).join(', ')}.`,
    );
  }

  const wentWell: string[] = [];
  const wentBadly: string[] = [];
  const target = facts.responseTargetMinutes;
  if (incident.acknowledgedAt !== null && target !== null) {
    const took = Math.max(0, incident.acknowledgedAt - detected);
    (took <= target * 60_000 ? wentWell : wentBadly).push(
      `Acknowledged ${durationText(Math.round(took / 1000))} after detection (the ${incident.severity} target is ${target === 0 ? 'immediate' : `${target} min`}).`,
    );
  }
  if (toDetect !== null && toDetect > SLOW_DETECTION_SECONDS) {
    wentBadly.push(`${durationText(toDetect)} passed between the first event and detection.`);
  }
  if (incident.resolutionOverride) {
    wentBadly.push(
      `Resolved with an override instead of a verified error rate: ${incident.resolutionOverride}`,
    );
  } else if (incident.resolvedAt !== null && rates.verdict === 'resolved') {
    wentWell.push(
      `The error rate was verified back at the baseline before resolving (${isoSeconds(incident.resolvedAt)}).`,
    );
  }
  if (suspects.rollbackTarget && facts.mitigations.some((m) => m.type === 'rollback')) {
    wentWell.push(
      `A rollback target (${suspects.rollbackTarget.version}) was known from the deploy history.`,
    );
  }
  return { detection, tests, wentWell, wentBadly };
}
