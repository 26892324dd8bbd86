import { z } from 'zod';
import { parseIsoDate } from '../iso-dates.ts';
import { parseOffsetCursor } from '../offset-cursor.ts';
import { parseInput as parseShared } from '../validation.ts';

/**
 * Sentry's release-name rules (sentry `src/sentry/models/release.py` `is_valid_version`): no
 * line breaks or tabs, no `/` or `\` (sentry-cli could not address it in a URL), not `.`, `..`
 * or `latest`.
 */
export const Version = z
  .string()
  .min(1)
  .max(250)
  .refine((v) => !/[\r\n\f\t/\\]/.test(v), 'must not contain line breaks, tabs, "/" or "\\"')
  .refine((v) => !['.', '..', 'latest'].includes(v), 'is a reserved name')
  .refine((v) => v.trim() === v, 'must not start or end with whitespace');

/** Sentry environment names (sentry `Environment.is_valid_name`): ≤ 64 characters, no line breaks or "/". */
export const EnvironmentName = z
  .string()
  .min(1)
  .max(64)
  .refine((v) => !/[\r\n\f/]/.test(v), 'must not contain line breaks or "/"');

/**
 * Date or date-time → epoch ms, as Sentry's serializers take them (DRF `DateTimeField`; Sentry
 * runs in UTC, so a zone-less time is UTC); null and absent stay as they are.
 */
const DateValue = z
  .string()
  .max(64)
  .transform((value, ctx) => {
    const ms = parseIsoDate(value);
    if (ms === null) ctx.addIssue({ code: 'custom', message: 'is not an ISO 8601 date' });
    return ms ?? Number.NaN;
  });
const OptionalDate = DateValue.nullish();

/** sentry-cli sends slugs, or numbers for all-digit arguments. */
const ProjectRef = z.union([z.string().min(1).max(100), z.number().int().nonnegative()]);

const MAX_COMMITS = 10_000;
const MAX_FILES_PER_COMMIT = 5_000;
const MAX_MESSAGE = 16_384;

export const CommitInput = z.object({
  id: z.string().min(1).max(64),
  repository: z.string().min(1).max(200).nullish(),
  message: z
    .string()
    .nullish()
    .transform((m) => (m == null ? null : m.slice(0, MAX_MESSAGE))),
  author_name: z.string().max(256).nullish(),
  author_email: z.string().max(256).nullish(),
  timestamp: OptionalDate,
  patch_set: z
    .array(z.object({ path: z.string().min(1).max(1024), type: z.enum(['A', 'M', 'D']) }))
    .max(MAX_FILES_PER_COMMIT)
    .nullish(),
});
export type CommitInput = z.infer<typeof CommitInput>;

export const RefInput = z.object({
  repository: z.string().min(1).max(200),
  commit: z.string().min(1).max(64),
  previousCommit: z.string().max(64).nullish(),
});
export type RefInput = z.infer<typeof RefInput>;

const CommitsAndRefs = {
  commits: z.array(CommitInput).max(MAX_COMMITS).nullish(),
  refs: z.array(RefInput).max(100).nullish(),
};

/** `releases archive`/`restore` post the version with `"projects": []` and a `status`. */
export const CreateReleaseInput = z.object({
  version: Version,
  projects: z.array(ProjectRef).max(100),
  status: z.enum(['open', 'archived']).nullish(),
  ref: z.string().max(1024).nullish(),
  url: z.string().max(1024).nullish(),
  dateStarted: OptionalDate,
  dateReleased: OptionalDate,
  ...CommitsAndRefs,
});
export type CreateReleaseInput = z.infer<typeof CreateReleaseInput>;

/** sentry-cli's finalize also sends `projects`; like Sentry, an update ignores it. */
export const UpdateReleaseInput = z.object({
  ref: z.string().max(1024).nullish(),
  url: z.string().max(1024).nullish(),
  dateReleased: OptionalDate,
  status: z.enum(['open', 'archived']).nullish(),
  ...CommitsAndRefs,
});
export type UpdateReleaseInput = z.infer<typeof UpdateReleaseInput>;

export const CreateDeployInput = z.object({
  environment: EnvironmentName,
  name: z.string().max(64).nullish(),
  url: z.string().max(1024).nullish(),
  dateStarted: OptionalDate,
  dateFinished: OptionalDate,
  projects: z.array(ProjectRef).max(100).nullish(),
});
export type CreateDeployInput = z.infer<typeof CreateDeployInput>;

/**
 * Sentry-style offset cursor `"{value}:{offset}:{is_prev}"` (reference §5.2); empty = first page.
 * `per_page` defaults to 100 like Sentry's.
 */
export const PageInput = z.object({
  per_page: z.coerce.number().int().min(1).max(100).default(100),
  cursor: z
    .string()
    .max(100)
    .optional()
    .transform((cursor, ctx) => {
      try {
        return parseOffsetCursor(cursor);
      } catch {
        ctx.addIssue({ code: 'custom', message: 'is not a cursor from a Link header' });
        return 0;
      }
    }),
});

export {
  nextOffsetCursor as nextCursor,
  previousOffsetCursor as previousCursor,
} from '../offset-cursor.ts';

/** Release requests are mostly bodies: a wrong body as a whole is named as such. */
export function parseInput<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  return parseShared(schema, input, 'body');
}
