import { randomIndex, seededRandom } from './random.ts';

/**
 * The shape of the query benchmark's data set, with no I/O: which issue each event belongs to,
 * when it happened, and the release, environment, user, level and server it carries. Issue
 * popularity is Zipf-like (rank r gets weight 1/(r+1)), so a few hot issues hold most events and
 * a long tail holds a handful each; every issue gets at least one event.
 */

export const DAY_MS = 86_400_000;
export const SPAN_MS = 14 * DAY_MS;
export const PROJECT_SLUGS = ['api', 'web', 'worker'] as const;
export const USERS = 5000;
export const RELEASES = 20;
/** Share of issues per project: api 60%, web 30%, worker 10%. */
const PROJECT_OF_DECILE = [0, 0, 0, 0, 0, 0, 1, 1, 1, 2];
const ZIPF_EXPONENT = 1;
const HOT_SHARE = 0.01;
const LEVELS = ['error', 'warning', 'fatal', 'info'];
const LEVEL_CUMULATIVE = [0.82, 0.9, 0.96, 1];

export interface DatasetShape {
  events: number;
  issues: number;
  users: number;
  releases: number;
  /** Epoch ms the data ends at; events fall in the 14 days before it. */
  now: number;
  seed: number;
}

export interface IssueSpec {
  /** 0 is the hottest issue. */
  rank: number;
  project: number;
  level: string;
  windowStart: number;
  windowEnd: number;
}

export interface EventSpec {
  issue: number;
  timestamp: number;
  receivedAt: number;
  level: string;
  release: string;
  environment: string;
  userKey: string;
  serverName: string;
}

export function releaseName(project: number, index: number): string {
  return `${PROJECT_SLUGS[project]}@1.${index}.0`;
}

export function planIssues(shape: DatasetShape): IssueSpec[] {
  const random = seededRandom(shape.seed);
  const start = shape.now - SPAN_MS;
  const hot = Math.max(1, Math.round(shape.issues * HOT_SHARE));
  return Array.from({ length: shape.issues }, (_, rank) => {
    const pick = random();
    const level = LEVELS[LEVEL_CUMULATIVE.findIndex((edge) => pick < edge)];
    if (rank < hot)
      return { rank, project: PROJECT_OF_DECILE[rank % 10], level, windowStart: start, windowEnd: shape.now };
    // A third of the tail is still happening; the rest stopped somewhere after it began.
    const windowStart = start + random() * SPAN_MS;
    const windowEnd = random() < 0.35 ? shape.now : windowStart + (shape.now - windowStart) * random();
    return { rank, project: PROJECT_OF_DECILE[rank % 10], level, windowStart, windowEnd };
  });
}

/**
 * Every event's issue and time, oldest first (events arrive in time order in production, so row
 * order follows time). Sorting packs time offset and issue into one float key.
 */
export function planEventTimes(
  shape: DatasetShape,
  issues: IssueSpec[],
): { issue: Uint32Array; timestamp: Float64Array } {
  const random = seededRandom(shape.seed + 1);
  const sampleIssue = zipfSampler(issues.length, random);
  const base = shape.now - SPAN_MS;
  const issueBits = 2 ** Math.ceil(Math.log2(issues.length + 1));
  const keys = new Float64Array(shape.events);
  for (let i = 0; i < shape.events; i++) {
    const issue = i < issues.length ? i : sampleIssue();
    const spec = issues[issue];
    const offset = Math.floor(spec.windowStart - base + random() * (spec.windowEnd - spec.windowStart));
    keys[i] = offset * issueBits + issue;
  }
  keys.sort();
  const issue = new Uint32Array(shape.events);
  const timestamp = new Float64Array(shape.events);
  for (let i = 0; i < shape.events; i++) {
    issue[i] = keys[i] % issueBits;
    timestamp[i] = base + Math.floor(keys[i] / issueBits);
  }
  return { issue, timestamp };
}

/** The per-event attributes, drawn in event order from one seeded stream. */
export function eventAttributes(shape: DatasetShape, issues: IssueSpec[]) {
  const random = seededRandom(shape.seed + 2);
  const releaseSpan = SPAN_MS / shape.releases;
  const base = shape.now - SPAN_MS;
  return (issueIndex: number, timestamp: number): EventSpec => {
    const spec = issues[issueIndex];
    // The release deployed at that time; one event in ten still comes from the previous one.
    let release = Math.min(shape.releases - 1, Math.floor((timestamp - base) / releaseSpan));
    if (release > 0 && random() < 0.1) release--;
    const level = random() < 0.94 ? spec.level : LEVELS[randomIndex(random, LEVELS.length)];
    return {
      issue: issueIndex,
      timestamp,
      receivedAt: timestamp + randomIndex(random, 2000),
      level,
      release: releaseName(spec.project, release),
      environment: random() < 0.8 ? 'production' : 'staging',
      userKey: `id:u${randomIndex(random, shape.users)}`,
      serverName: `web-${1 + randomIndex(random, 4)}`,
    };
  };
}

/** Inverse-CDF sampling of ranks 0..n-1 with weight 1/(rank+1)^s. */
function zipfSampler(n: number, random: () => number): () => number {
  const cumulative = new Float64Array(n);
  let total = 0;
  for (let rank = 0; rank < n; rank++) {
    total += 1 / (rank + 1) ** ZIPF_EXPONENT;
    cumulative[rank] = total;
  }
  return () => {
    const target = random() * total;
    let low = 0;
    let high = n - 1;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (cumulative[middle] < target) low = middle + 1;
      else high = middle;
    }
    return low;
  };
}
