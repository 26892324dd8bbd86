import type { QueryGroup, QuerySpec } from './query-catalogue.ts';
import type { ApiClient } from './query-client.ts';
import { round } from './stats.ts';

/** Timing loops: one query at a time (latency), and a mixed load from several clients at once. */

export interface Latency {
  requests: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
}

export interface QueryResult extends Latency {
  name: string;
  group: QueryGroup;
  /** Items in the answer, on average (1 for an issue page). */
  rows: number;
  /** Server CPU time per request (user + system, 10 ms ticks averaged over the run). */
  serverCpuMs: number;
  example: string;
}

export interface ConcurrentResult extends Latency {
  concurrency: number;
  requestsPerSec: number;
  groups: ({ group: QueryGroup } & Latency)[];
}

/** Nearest-rank percentiles. */
export function latencyOf(samples: number[]): Latency {
  if (samples.length === 0) return { requests: 0, p50Ms: 0, p95Ms: 0, maxMs: 0 };
  const sorted = Float64Array.from(samples).sort();
  const rank = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
  return {
    requests: sorted.length,
    p50Ms: round(rank(0.5)),
    p95Ms: round(rank(0.95)),
    maxMs: round(sorted[sorted.length - 1]),
  };
}

export async function measureSequential(
  client: ApiClient,
  spec: QuerySpec,
  counts: { warmup: number; requests: number },
  serverCpuMs: () => number,
): Promise<{ result: QueryResult; samples: number[] }> {
  const pathAt = (i: number) => spec.paths[i % spec.paths.length];
  for (let i = 0; i < counts.warmup; i++) await client.get(pathAt(i));
  const samples: number[] = [];
  const cpuBefore = serverCpuMs();
  let rows = 0;
  for (let i = 0; i < counts.requests; i++) {
    const response = await client.get(pathAt(counts.warmup + i));
    samples.push(response.ms);
    rows += Array.isArray(response.body) ? response.body.length : 1;
  }
  const cpuMs = serverCpuMs() - cpuBefore;
  const result = {
    name: spec.name,
    group: spec.group,
    ...latencyOf(samples),
    rows: round(rows / counts.requests),
    serverCpuMs: round(cpuMs / counts.requests),
    example: spec.paths[0],
  };
  return { result, samples };
}

/** `concurrency` clients, each sending its share of requests drawn round-robin from every query. */
export async function measureConcurrent(
  client: ApiClient,
  specs: QuerySpec[],
  counts: { concurrency: number; requests: number },
): Promise<ConcurrentResult> {
  // Ten requests of every query, interleaved so that concurrent requests are of different kinds.
  const mix = Array.from({ length: 10 }, (_, turn) =>
    specs.map((spec) => ({ group: spec.group, path: spec.paths[turn % spec.paths.length] })),
  ).flat();
  const samples: { group: QueryGroup; ms: number }[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: counts.concurrency }, async () => {
      while (next < counts.requests) {
        const { group, path } = mix[next++ % mix.length];
        samples.push({ group, ms: (await client.get(path)).ms });
      }
    }),
  );
  const elapsedMs = performance.now() - started;
  const groups = (['list', 'detail', 'events'] as const).map((group) => ({
    group,
    ...latencyOf(samples.filter((s) => s.group === group).map((s) => s.ms)),
  }));
  return {
    concurrency: counts.concurrency,
    ...latencyOf(samples.map((s) => s.ms)),
    requestsPerSec: round(samples.length / (elapsedMs / 1000)),
    groups,
  };
}
