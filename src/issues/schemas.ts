import { z } from 'zod';
import type { IssueSort } from '../store/types.ts';

/** A query parameter that may be repeated: the last one counts. */
const single = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (Array.isArray(value) ? value[value.length - 1] : value), schema);
/** A repeatable query parameter (`project=1&project=2`), always an array. */
const repeated = z.preprocess(
  (value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]),
  z.array(z.string().max(200)).max(100),
);

/** Sentry's other orders (priority, trends, inbox, recommended) fall back to last seen. */
const SORTS: Record<string, IssueSort> = {
  date: 'date',
  new: 'new',
  freq: 'freq',
  user: 'user',
  priority: 'date',
  trends: 'date',
  inbox: 'date',
  recommended: 'date',
};

export const ListIssuesInput = z.object({
  /** Absent → Sentry's default `is:unresolved`; empty → every status. */
  query: single(z.string().max(2000)).optional(),
  sort: single(z.enum(Object.keys(SORTS) as [string, ...string[]]))
    .default('date')
    .transform((sort) => SORTS[sort]),
  statsPeriod: single(z.string().max(20)).optional(),
  groupStatsPeriod: single(z.string().max(20)).optional(),
  start: single(z.string().max(40)).optional(),
  end: single(z.string().max(40)).optional(),
  limit: single(z.coerce.number().int().min(1).max(100)).optional(),
  per_page: single(z.coerce.number().int().min(1).max(100)).optional(),
  cursor: single(z.string().max(500)).optional(),
  project: repeated,
  environment: repeated,
  shortIdLookup: single(z.string().max(10)).optional(),
});
export type ListIssuesInput = z.infer<typeof ListIssuesInput>;

const minutes = z
  .number()
  .int()
  .min(1)
  .max(10 * 365 * 24 * 60);
const count = z.number().int().min(1).max(1_000_000_000);

/** The ignore / resolve options Sentry accepts both at the top level and inside statusDetails. */
const StatusOptions = z.object({
  inNextRelease: z.boolean().optional(),
  inRelease: z.string().min(1).max(250).optional(),
  ignoreDuration: minutes.nullish(),
  ignoreCount: count.nullish(),
  ignoreWindow: minutes.nullish(),
  ignoreUserCount: count.nullish(),
  ignoreUserWindow: minutes.nullish(),
  ignoreUntilEscalating: z.boolean().optional(),
});

/** PUT body of the issue update endpoints (Sentry's GroupValidator, the parts Firebreak keeps). */
export const UpdateIssueInput = StatusOptions.extend({
  status: z.enum(['resolved', 'unresolved', 'ignored', 'muted', 'resolvedInNextRelease']).optional(),
  substatus: z
    .enum(['archived_until_escalating', 'archived_until_condition_met', 'archived_forever', 'ongoing'])
    .nullish(),
  statusDetails: StatusOptions.optional(),
  /** sentry-cli sends this (minutes, usually null) with every bulk update. */
  snoozeDuration: minutes.nullish(),
  /** `user:ID`, `team:ID_OR_SLUG`, an email, or null / '' to unassign. */
  assignedTo: z.string().max(250).nullish(),
  hasSeen: z.boolean().optional(),
  isBookmarked: z.boolean().optional(),
  isSubscribed: z.boolean().optional(),
  isPublic: z.boolean().optional(),
  merge: z.unknown().optional(),
  discard: z.unknown().optional(),
});
export type UpdateIssueInput = z.infer<typeof UpdateIssueInput>;

export const NoteInput = z.object({ text: z.string().trim().min(1).max(10_000) });

export const PageInput = z.object({
  per_page: single(z.coerce.number().int().min(1).max(100)).default(100),
  limit: single(z.coerce.number().int().min(1).max(100)).optional(),
  cursor: single(z.string().max(100)).optional(),
  sort: single(z.enum(['count', 'date', 'age'])).default('count'),
});
