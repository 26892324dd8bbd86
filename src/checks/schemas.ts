import { z } from 'zod';

/**
 * The `firebreak check --json` document. Defined once here; `CHECK_OUTPUT_JSON_SCHEMA` is derived
 * from it (docs/checks.md shows it, `firebreak check --json-schema` prints it).
 */

export const CHECK_MODES = [
  'setup-preflight',
  'local-smoke',
  'prod-health',
  'release-gate',
  'issue-triage',
  'verify-loop',
  'all',
] as const;
export const CheckMode = z.enum(CHECK_MODES);
export type CheckMode = z.infer<typeof CheckMode>;
export type SingleMode = Exclude<CheckMode, 'all'>;

/** PASS: nothing to do. PARTIAL: inconclusive, backlog or incomplete wiring. FAIL: blocks trust. */
export const CheckStatus = z.enum(['PASS', 'PARTIAL', 'FAIL']);
export type CheckStatus = z.infer<typeof CheckStatus>;

const Location = z.strictObject({ file: z.string(), line: z.number().int(), what: z.string() });
export type Location = z.infer<typeof Location>;

export const PreflightData = z.strictObject({
  sdks: z.array(
    z.strictObject({ ecosystem: z.string(), manifest: z.string(), packages: z.array(z.string()) }),
  ),
  initCalls: z.array(Location),
  hardcodedDsns: z.array(Location),
  dsnEnvVars: z.array(z.string()),
  envExampleFiles: z.array(z.string()),
  undocumentedDsnVars: z.array(z.string()),
  releaseWiring: z.array(Location),
  uploadWiring: z.array(Location),
  uploadExpected: z.boolean(),
  filesScanned: z.number().int(),
});
export type PreflightData = z.infer<typeof PreflightData>;

const MissingScope = z.strictObject({ scopes: z.array(z.string()), neededBy: z.array(z.string()) });

export const SmokeData = z.strictObject({
  user: z.string().nullable(),
  scopes: z.array(z.string()),
  missingScopes: z.array(MissingScope),
  dsn: z
    .strictObject({
      masked: z.string(),
      projectId: z.string(),
      matchesProject: z.boolean().nullable(),
      keyActive: z.boolean().nullable(),
    })
    .nullable(),
  testEvent: z
    .strictObject({ eventId: z.string(), accepted: z.boolean(), confirmed: z.boolean() })
    .nullable(),
});
export type SmokeData = z.infer<typeof SmokeData>;

export const IssueSummary = z.strictObject({
  id: z.string(),
  shortId: z.string(),
  title: z.string(),
  level: z.string(),
  events: z.number(),
  users: z.number(),
  firstSeen: z.string().nullable(),
  lastSeen: z.string().nullable(),
});
export type IssueSummary = z.infer<typeof IssueSummary>;

const LevelCounts = z.strictObject({
  fatal: z.number().int(),
  error: z.number().int(),
  warning: z.number().int(),
  info: z.number().int(),
  debug: z.number().int(),
  other: z.number().int(),
});
export type LevelCounts = z.infer<typeof LevelCounts>;

export const HealthData = z.strictObject({
  unresolved: z.number().int(),
  /** False when the listing stopped at the page cap, so counts are lower bounds. */
  complete: z.boolean(),
  byLevel: LevelCounts,
  new24h: z.number().int(),
  regressed: z.number().int(),
  escalating: z.number().int(),
  events24h: z.number().int(),
  topByEvents: z.array(IssueSummary),
  topByUsers: z.array(IssueSummary),
  staleHighVolume: z.array(IssueSummary),
  spiking: z.array(IssueSummary),
});
export type HealthData = z.infer<typeof HealthData>;

export const ReleaseGateData = z.strictObject({
  release: z.string().nullable(),
  releaseSource: z.enum(['flag', 'env', 'inferred']).nullable(),
  manifestVersion: z.strictObject({ file: z.string(), version: z.string() }).nullable(),
  gitTag: z.strictObject({ tag: z.string(), onHead: z.boolean() }).nullable(),
  existsOnServer: z.boolean().nullable(),
  inProject: z.boolean().nullable(),
  finalized: z.boolean().nullable(),
  commitCount: z.number().int().nullable(),
  deployEnvironments: z.array(z.string()),
  newIssues: z.array(IssueSummary),
  regressedIssues: z.array(IssueSummary),
  crashFreeSessions: z.number().nullable(),
  crashFreeUsers: z.number().nullable(),
});
export type ReleaseGateData = z.infer<typeof ReleaseGateData>;

export const TriageItem = z.strictObject({
  rank: z.number().int(),
  shortId: z.string(),
  id: z.string(),
  title: z.string(),
  level: z.string(),
  reason: z.string(),
  events: z.number(),
  users: z.number(),
  lastSeen: z.string().nullable(),
  assigned: z.string().nullable(),
  action: z.string(),
  command: z.string(),
});
export type TriageItem = z.infer<typeof TriageItem>;

export const TriageData = z.strictObject({
  total: z.number().int(),
  items: z.array(TriageItem),
  omitted: z.number().int(),
});
export type TriageData = z.infer<typeof TriageData>;

export const CheckpointDelta = z.strictObject({
  since: z.string(),
  hoursElapsed: z.number(),
  newIssues: z.array(IssueSummary),
  /** Null when either listing was capped: an issue past the cap would look resolved. */
  resolvedIssues: z.array(IssueSummary).nullable(),
  unresolvedBefore: z.number().int(),
  unresolvedNow: z.number().int(),
  eventsSince: z.number().int(),
  eventsPerHour: z.number(),
  events24hBefore: z.number().int(),
  events24hNow: z.number().int(),
  fastestGrowing: z.array(z.strictObject({ shortId: z.string(), title: z.string(), newEvents: z.number() })),
});
export type CheckpointDelta = z.infer<typeof CheckpointDelta>;

export const VerifyLoopData = z.strictObject({
  stateFile: z.string(),
  checkpointWritten: z.boolean(),
  previousCheckpoint: z.string().nullable(),
  delta: CheckpointDelta.nullable(),
});
export type VerifyLoopData = z.infer<typeof VerifyLoopData>;

const base = {
  status: CheckStatus,
  /** True when the mode did not run (e.g. `all` without org/project); the evidence says why. */
  skipped: z.boolean(),
  evidence: z.array(z.string()),
  risks: z.array(z.string()),
  nextCommands: z.array(z.string()),
};

export const CheckResult = z.discriminatedUnion('mode', [
  z.strictObject({ mode: z.literal('setup-preflight'), ...base, data: PreflightData.nullable() }),
  z.strictObject({ mode: z.literal('local-smoke'), ...base, data: SmokeData.nullable() }),
  z.strictObject({ mode: z.literal('prod-health'), ...base, data: HealthData.nullable() }),
  z.strictObject({ mode: z.literal('release-gate'), ...base, data: ReleaseGateData.nullable() }),
  z.strictObject({ mode: z.literal('issue-triage'), ...base, data: TriageData.nullable() }),
  z.strictObject({ mode: z.literal('verify-loop'), ...base, data: VerifyLoopData.nullable() }),
]);
export type CheckResult = z.infer<typeof CheckResult>;

export const CheckOutput = z.strictObject({
  schemaVersion: z.literal(1),
  mode: CheckMode,
  status: CheckStatus,
  evidence: z.array(z.string()),
  risks: z.array(z.string()),
  nextCommands: z.array(z.string()),
  target: z.strictObject({
    url: z.string().nullable(),
    org: z.string().nullable(),
    project: z.string().nullable(),
    /** Masked: never the whole token or DSN key. */
    token: z.string().nullable(),
    dsn: z.string().nullable(),
    repoRoot: z.string(),
  }),
  checks: z.array(CheckResult),
  generatedAt: z.iso.datetime(),
});
export type CheckOutput = z.infer<typeof CheckOutput>;

export const CHECK_OUTPUT_JSON_SCHEMA = z.toJSONSchema(CheckOutput);
