import { z } from 'zod';

export const ListIssuesInput = z.object({
  org: z.string(),
  project: z.string(),
  /** Absent → Sentry's default `is:unresolved`; empty → every status. */
  query: z.string().max(2000).optional(),
  sort: z.enum(['date', 'new', 'freq', 'user']).default('date'),
  statsPeriod: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(500).optional(),
});
export type ListIssuesInput = z.infer<typeof ListIssuesInput>;
