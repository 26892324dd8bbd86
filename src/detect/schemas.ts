import { z } from 'zod';
import { invalid } from '../app-error.ts';
import type { AlertAction, AlertFilters, DetectorKind } from '../store/types-alerts.ts';
import { DETECTORS } from '../store/types-alerts.ts';
import { parseInput } from '../validation.ts';

const Minutes = (max: number) => z.number().int().min(1).max(max);

/** A spike: the rate over the window is at least `factor` × the baseline and at least `minCount` events. */
export const SpikeConditions = z
  .object({
    factor: z.number().min(1.1).max(1000).default(3),
    minCount: z.number().int().min(1).max(1_000_000).default(10),
    windowMinutes: Minutes(60).default(1),
    /** `issue`: each issue against its own baseline; `project`: the project's total. */
    scope: z.enum(['issue', 'project']).default('issue'),
    /** docs/decisions/0007-alert-baselines.md */
    baseline: z.enum(['seasonal', 'ewma']).default('seasonal'),
  })
  .strict();
export type SpikeConditions = z.infer<typeof SpikeConditions>;

export const DeployConditions = z
  .object({
    /** How long after a deploy finished a new issue or a spike counts as "after the deploy". */
    windowMinutes: Minutes(24 * 60).default(30),
    include: z
      .array(z.enum(['new_issue', 'spike']))
      .min(1)
      .default(['new_issue', 'spike']),
    factor: z.number().min(1.1).max(1000).default(3),
    minCount: z.number().int().min(1).max(1_000_000).default(10),
  })
  .strict();
export type DeployConditions = z.infer<typeof DeployConditions>;

export const UsersConditions = z
  .object({
    threshold: z.number().int().min(1).max(100_000_000).default(100),
    windowMinutes: Minutes(7 * 24 * 60).default(60),
  })
  .strict();
export type UsersConditions = z.infer<typeof UsersConditions>;

export const ReleaseConditions = z
  .object({
    metric: z
      .enum(['crash_free_sessions', 'crash_free_users', 'errored_sessions'])
      .default('crash_free_sessions'),
    /** Percentage points worse than the previous release (lower crash-free, higher errored share). */
    threshold: z.number().min(0.01).max(100).default(1),
    /** Both releases need this many sessions (users for crash_free_users) before they are compared. */
    minSessions: z.number().int().min(1).max(100_000_000).default(100),
  })
  .strict();
export type ReleaseConditions = z.infer<typeof ReleaseConditions>;

const Empty = z.object({}).strict();

export const CONDITIONS: Record<DetectorKind, z.ZodType<Record<string, unknown>>> = {
  new_issue: Empty,
  regression: Empty,
  spike: SpikeConditions,
  deploy: DeployConditions,
  users: UsersConditions,
  release_health: ReleaseConditions,
};

/** A rule's stored conditions with the detector's defaults filled in. */
export function conditionsOf<T>(detector: DetectorKind, conditions: unknown): T {
  return parseInput(CONDITIONS[detector], conditions, 'conditions') as T;
}

const Name = z.string().trim().min(1).max(60);
const Values = z.array(Name).min(1).max(20);

export const Filters = z
  .object({
    levels: z
      .array(z.enum(['debug', 'info', 'warning', 'error', 'fatal']))
      .min(1)
      .optional(),
    environments: Values.optional(),
    tags: z
      .record(z.string().trim().min(1).max(32), z.string().min(1).max(200))
      .refine((tags) => Object.keys(tags).length <= 10, 'at most 10 tags')
      .optional(),
  })
  .strict();

const TargetId = z.union([
  z.number().int().positive(),
  z
    .string()
    .regex(/^\d{1,15}$/)
    .transform(Number),
]);

export const Action = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('notify'),
      /** Target ids of the organisation (`/notification-targets/`), or `all` of them. */
      targets: z.union([z.literal('all'), z.array(TargetId).max(20)]),
    })
    .strict(),
  z
    .object({ type: z.literal('declare_incident'), severity: z.string().trim().min(1).max(16).optional() })
    .strict(),
  z.object({ type: z.literal('attach_incident') }).strict(),
]);

export const Cooldown = z
  .number()
  .int()
  .min(0)
  .max(7 * 24 * 60);

export const CreateRuleInput = z
  .object({
    name: z.string().trim().min(1).max(200),
    detector: z.enum(DETECTORS),
    enabled: z.boolean().default(true),
    conditions: z.record(z.string(), z.unknown()).default({}),
    filters: Filters.default({}),
    actions: z.array(Action).max(10).default([]),
    cooldownMinutes: Cooldown.default(30),
  })
  .strict();

export const UpdateRuleInput = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    enabled: z.boolean().optional(),
    conditions: z.record(z.string(), z.unknown()).optional(),
    filters: Filters.optional(),
    actions: z.array(Action).max(10).optional(),
    cooldownMinutes: Cooldown.optional(),
  })
  .strict();

export function toActions(actions: z.infer<typeof Action>[]): AlertAction[] {
  return actions.map((action) =>
    action.type === 'notify' ? { type: 'notify', targetIds: action.targets } : action,
  );
}

/** The API's view of stored filters with empty parts dropped. */
export function toFilters(filters: z.infer<typeof Filters>): AlertFilters {
  return Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== undefined)) as AlertFilters;
}

/** Conditions are validated against the detector and stored with its defaults, so reads show them. */
export function checkedConditions(detector: DetectorKind, conditions: Record<string, unknown>) {
  const parsed = CONDITIONS[detector].safeParse(conditions);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw invalid(
      `invalid conditions${issue.path.length ? `.${issue.path.join('.')}` : ''} for ${detector}: ${issue.message}`,
    );
  }
  return parsed.data;
}
