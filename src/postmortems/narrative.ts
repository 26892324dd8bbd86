import { z } from 'zod';
import { conflict, invalid } from '../app-error.ts';
import type { Principal } from '../auth/principal.ts';
import type { AppContext } from '../context.ts';
import type { IncidentContext } from '../incidents/access.ts';
import type { Postmortem } from '../store/types-postmortems.ts';
import { parseInput } from '../validation.ts';
import { adrRef } from './format.ts';
import { requirePostmortem } from './generate.ts';

/**
 * The parts of a post-mortem people write. Regenerating refreshes the data and never touches
 * these; a field nobody wrote shows its default (the incident's root cause, a summary from the
 * data, or "not written yet" with what the data says).
 */
export const NARRATIVE_FIELDS = [
  'title',
  'summary',
  'rootCause',
  'contributingFactors',
  /** Why monitoring did not catch it earlier (`001_…` phase 6; `000_…` "detection gaps"). */
  'detectionGaps',
  'whySlippedThroughTests',
  'wentWell',
  'wentBadly',
  'lessons',
] as const;
export type NarrativeField = (typeof NARRATIVE_FIELDS)[number];

export const NARRATIVE_LABELS: Record<NarrativeField, string> = {
  title: 'Title',
  summary: 'Summary',
  rootCause: 'Root cause',
  contributingFactors: 'Contributing factors',
  detectionGaps: 'Why monitoring did not catch it earlier',
  whySlippedThroughTests: 'Why it slipped through tests / CI',
  wentWell: 'What went well',
  wentBadly: 'What went badly',
  lessons: 'Lessons',
};

/** Markdown text; an empty string or null clears the field back to its default. */
const Text = z.string().max(20_000).nullable().optional();

export const NarrativeInput = z
  .object({
    ...(Object.fromEntries(NARRATIVE_FIELDS.map((f) => [f, Text])) as Record<NarrativeField, typeof Text>),
    /** The playbook's name for detectionGaps. */
    whyNotCaughtEarlier: Text,
    /** The edit applies only if the post-mortem is still at this version (else 409). */
    expectedVersion: z.number().int().min(1).optional(),
  })
  .strict();

/** PUT /incidents/{ref}/postmortem/ — sets or clears narrative fields; a timeline entry names them. */
export async function editNarrative(
  ctx: AppContext,
  principal: Principal,
  loaded: IncidentContext,
  body: unknown,
): Promise<Postmortem> {
  const input = parseInput(NarrativeInput, body, 'post-mortem');
  const postmortem = await requirePostmortem(ctx, loaded.incident);
  const { expectedVersion, whyNotCaughtEarlier, ...given } = input;
  if (whyNotCaughtEarlier !== undefined) {
    if (given.detectionGaps !== undefined)
      throw invalid('give detectionGaps or whyNotCaughtEarlier, not both');
    given.detectionGaps = whyNotCaughtEarlier;
  }
  if (expectedVersion !== undefined && expectedVersion !== postmortem.version) {
    throw conflict(`The post-mortem is at version ${postmortem.version}, not ${expectedVersion}.`);
  }
  const fields: Record<string, string | null> = {};
  for (const [field, value] of Object.entries(given)) {
    if (value === undefined) continue;
    const text = value === null || value.trim() === '' ? null : value.trim();
    if (text !== (postmortem.narrative[field] ?? null)) fields[field] = text;
  }
  if (Object.keys(fields).length === 0) return postmortem;
  const now = ctx.clock.now();
  const names = Object.keys(fields).map((f) => {
    const label = NARRATIVE_LABELS[f as NarrativeField];
    return `${label[0].toLowerCase()}${label.slice(1)}`;
  });
  const edited = await ctx.store.postmortems.editNarrative(postmortem.id, {
    fields,
    expectedVersion: expectedVersion ?? postmortem.version,
    actor: principal.actor,
    now,
    entries: [
      {
        kind: 'postmortem',
        body: `Post-mortem ${adrRef(postmortem.number)} edited: ${names.join(', ')}`,
        data: { postmortem: adrRef(postmortem.number), action: 'edited', fields: Object.keys(fields) },
        actor: principal.actor,
        occurredAt: now,
      },
    ],
  });
  if (!edited) throw conflict('The post-mortem was changed by someone else; reload it and try again.');
  return edited;
}
