import { z } from 'zod';
import type { Scope } from '../auth/scopes.ts';
import type { RunbookTag } from '../store/types-runbooks.ts';

/**
 * Runbooks are read by responders and by whoever owns a project's operations: reading takes
 * incident:read or project:read; writing incident:write (members run incidents and keep their
 * runbooks) or project:write (project admins document their services).
 */
export const RUNBOOK_READ: Scope[] = ['incident:read', 'project:read'];
export const RUNBOOK_WRITE: Scope[] = ['incident:write', 'project:write'];

/** Sentry's tag key characters (no `:` so `service:api` splits unambiguously), then any value. */
const TAG_REF = /^([a-zA-Z0-9_.-]{1,32}):([^\n\r\t]{1,200})$/;

export const TagRef = z
  .string()
  .trim()
  .regex(TAG_REF, 'tags are key:value, e.g. service:api')
  .transform((text): RunbookTag => {
    const [, key, value] = TAG_REF.exec(text)!;
    return { key, value };
  });

export function parseTagRef(text: string): RunbookTag | null {
  const match = TAG_REF.exec(text.trim());
  return match ? { key: match[1], value: match[2] } : null;
}

export const formatTag = (tag: RunbookTag): string => `${tag.key}:${tag.value}`;

/** 100 000 characters of Markdown is a long runbook; it is kept as text, never rendered. */
export const MAX_BODY_CHARS = 100_000;

const fields = {
  title: z.string().trim().min(1).max(200),
  /** Markdown exactly as given (not trimmed: indentation and trailing newlines are Markdown). */
  body: z
    .string()
    .max(MAX_BODY_CHARS)
    .refine((text) => text.trim() !== '', 'must not be empty'),
  /** Project slugs or ids of the organisation. */
  projects: z.array(z.string().trim().min(1).max(100)).max(50),
  tags: z.array(TagRef).max(50),
};

export const CreateRunbookInput = z
  .object({ ...fields, projects: fields.projects.default([]), tags: fields.tags.default([]) })
  .strict();
export type CreateRunbookInput = z.infer<typeof CreateRunbookInput>;

export const UpdateRunbookInput = z
  .object({
    title: fields.title.optional(),
    body: fields.body.optional(),
    projects: fields.projects.optional(),
    tags: fields.tags.optional(),
  })
  .strict();
export type UpdateRunbookInput = z.infer<typeof UpdateRunbookInput>;

export const ListRunbooksInput = z.object({
  project: z.string().trim().min(1).max(100).optional(),
  tag: z.string().max(240).optional(),
  per_page: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().max(64).optional(),
});
