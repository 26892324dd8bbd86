import { z } from 'zod';
import { invalid } from '../app-error.ts';

/** Sentry slugs: lowercase letters, digits, '-' and '_', not only digits, ≤ 50 chars. */
export const Slug = z
  .string()
  .min(1)
  .max(50)
  .regex(/^[a-z0-9_-]+$/, 'use lowercase letters, digits, "-" and "_"')
  .refine((s) => !/^\d+$/.test(s), 'a slug cannot be only digits');

export const SetupInput = z.object({
  org: Slug,
  project: Slug,
  platform: z.string().max(64).nullable().default(null),
});
export type SetupInput = z.infer<typeof SetupInput>;

const Name = z.string().trim().min(1).max(64);
const Platform = z.string().max(64).nullable();

/** Sentry's project create (POST /teams/{org}/{team}/projects/): a name, optionally a slug and platform. */
export const CreateProjectInput = z.object({
  name: Name,
  slug: Slug.optional(),
  platform: Platform.optional(),
});

/** Sentry's project update, plus Firebreak's retention settings. */
export const UpdateProjectInput = z.object({
  name: Name.optional(),
  slug: Slug.optional(),
  platform: Platform.optional(),
  eventMaxAgeDays: z.number().int().min(1).max(3650).optional(),
  eventsPerIssue: z.number().int().min(1).max(1_000_000).optional(),
});

/** Sentry derives a missing slug from the name: `My Web App` → `my-web-app`. */
export function slugFromName(name: string): string {
  const slug = name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 50);
  const parsed = Slug.safeParse(slug);
  if (!parsed.success)
    throw invalid(`cannot derive a slug from the name "${name.slice(0, 64)}"; send a slug`);
  return parsed.data;
}
