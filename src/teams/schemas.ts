import { z } from 'zod';
import { Slug } from '../projects/schemas.ts';

/** Sentry's team create: a slug, a name, or both (MCP `create_team` sends only the name). */
export const CreateTeamInput = z
  .object({
    name: z.string().trim().min(1).max(64).optional(),
    slug: Slug.optional(),
  })
  .refine((input) => input.name !== undefined || input.slug !== undefined, {
    message: 'name or slug is required',
    path: ['name'],
  });
