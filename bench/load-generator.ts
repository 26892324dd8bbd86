import { setTimeout as sleep } from 'node:timers/promises';
import {
  type GeneratorOptions,
  type GeneratorReady,
  type PhaseRequest,
  type PhaseResult,
  SLOW_MS,
} from './generator-protocol.ts';
import { KeepAlivePool } from './keep-alive-client.ts';
import { buildEnvelope, buildTemplatePool, type Envelope, PROFILES, type TemplatePool } from './payloads.ts';
import { seededRandom } from './random.ts';
import { SDK_CLIENT } from './sdk-shape.ts';
import { summarizeLatencies } from './stats.ts';

/**
 * The sender process forked by bench/ingest.ts: its own event loop and CPU, so the server's
 * numbers are not bounded by the sender's. Answers each PhaseRequest with a PhaseResult.
 */

const REQUEST_TIMEOUT_MS = 30_000;
const ERROR_BACKOFF_MS = 100;

interface Outcome {
  status: number;
  retryAfterMs: number;
  error?: string;
}

class Tally {
  readonly latencies: number[] = [];
  /** Answers slower than SLOW_MS by the second (of the phase) their request was due in. */
  readonly slowPerSecond: number[] = [];
  sent = 0;
  ok = 0;
  status503 = 0;
  status429 = 0;
  errors = 0;
  firstError: string | null = null;

  /** `second`: when the request was due, counted from the start of the phase. */
  record(outcome: Outcome, latencyMs: number, second: number): void {
    this.sent++;
    if (outcome.status === 200) {
      this.ok++;
      this.latencies.push(latencyMs);
      if (latencyMs > SLOW_MS) {
        while (this.slowPerSecond.length <= second) this.slowPerSecond.push(0);
        this.slowPerSecond[second]++;
      }
    } else if (outcome.status === 503) this.status503++;
    else if (outcome.status === 429) this.status429++;
    else {
      this.errors++;
      this.firstError ??= outcome.error ?? `HTTP ${outcome.status}`;
    }
  }

  result(elapsedMs: number, cpuMs: number): PhaseResult {
    const { latencies, ...counts } = this;
    return { type: 'result', ...counts, ...summarizeLatencies(latencies), elapsedMs, cpuMs };
  }
}

function createSender(options: GeneratorOptions, pool: TemplatePool) {
  const origin = new URL(options.origin);
  if (origin.hostname !== '127.0.0.1') throw new Error('the load generator only sends to 127.0.0.1');
  const path =
    `/api/${options.projectId}/envelope/?sentry_version=7&sentry_key=${options.publicKey}` +
    `&sentry_client=${encodeURIComponent(SDK_CLIENT)}`;
  const random = seededRandom(Date.now());
  // Like the SDK: no Content-Type, auth in the query string, gzip only above 32 KiB.
  const headStart = `POST ${path} HTTP/1.1\r\nHost: ${origin.host}\r\nUser-Agent: ${SDK_CLIENT}\r\n`;
  const gzipHeader = 'Content-Encoding: gzip\r\n';

  return {
    connect: (maxSockets: number) =>
      new KeepAlivePool(origin.hostname, Number(origin.port), maxSockets, REQUEST_TIMEOUT_MS),
    send(connections: KeepAlivePool): Promise<Outcome> {
      const envelope: Envelope = buildEnvelope(pool, random);
      const head = `${headStart}${envelope.gzip ? gzipHeader : ''}Content-Length: ${envelope.length}\r\n\r\n`;
      return connections.request(head, envelope.chunks).then(
        (answer) => ({ status: answer.status, retryAfterMs: retryAfterMs(answer.retryAfter) }),
        (error: Error) => ({ status: 0, retryAfterMs: 0, error: error.message }),
      );
    },
  };
}

/** Retry-After in seconds (what Firebreak sends); anything else waits one second. */
function retryAfterMs(header: string | undefined): number {
  const seconds = Number(header);
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 1000;
}

type Sender = ReturnType<typeof createSender>;

/** Closed loop: each connection sends its next event as soon as the previous one is answered. */
async function runMaxThroughput(sender: Sender, durationMs: number, concurrency: number, tally: Tally) {
  const connections = sender.connect(concurrency);
  const phaseStart = performance.now();
  const deadline = phaseStart + durationMs;
  const connection = async () => {
    while (performance.now() < deadline) {
      const start = performance.now();
      const outcome = await sender.send(connections);
      tally.record(outcome, performance.now() - start, secondOf(start - phaseStart));
      const remaining = deadline - performance.now();
      if (outcome.status === 503 || outcome.status === 429)
        await sleep(Math.min(outcome.retryAfterMs, remaining));
      else if (outcome.status !== 200) await sleep(Math.min(ERROR_BACKOFF_MS, remaining));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, connection));
  connections.destroy();
}

/**
 * Open loop at a fixed rate. Latency runs from each request's scheduled time, so time spent
 * queued behind a slow server counts (no coordinated omission).
 */
async function runFixedRate(
  sender: Sender,
  durationMs: number,
  rate: number,
  maxSockets: number,
  tally: Tally,
) {
  const connections = sender.connect(maxSockets);
  const start = performance.now();
  const total = Math.floor((durationMs / 1000) * rate);
  const inflight = new Set<Promise<void>>();
  for (let i = 0; i < total; ) {
    const now = performance.now();
    for (; i < total && start + (i * 1000) / rate <= now; i++) {
      const scheduled = start + (i * 1000) / rate;
      const request = sender.send(connections).then((outcome) => {
        tally.record(outcome, performance.now() - scheduled, secondOf(scheduled - start));
        inflight.delete(request);
      });
      inflight.add(request);
    }
    if (i < total) await sleep(Math.max(0, start + (i * 1000) / rate - performance.now()));
  }
  await Promise.all(inflight);
  connections.destroy();
}

function secondOf(ms: number): number {
  return Math.floor(ms / 1000);
}

async function runPhase(sender: Sender, request: PhaseRequest): Promise<PhaseResult> {
  const tally = new Tally();
  const cpuBefore = process.cpuUsage();
  const start = performance.now();
  if (request.phase === 'max') await runMaxThroughput(sender, request.durationMs, request.concurrency, tally);
  else await runFixedRate(sender, request.durationMs, request.rate, request.maxSockets, tally);
  const cpu = process.cpuUsage(cpuBefore);
  return tally.result(performance.now() - start, (cpu.user + cpu.system) / 1000);
}

function main(): void {
  const options = JSON.parse(process.argv[2]) as GeneratorOptions;
  const pool = buildTemplatePool(PROFILES[options.profile], options.publicKey);
  const sender = createSender(options, pool);
  const samples = Array.from({ length: 500 }, () => buildEnvelope(pool, Math.random));
  const mean = (values: number[]) => Math.round(values.reduce((a, b) => a + b, 0) / values.length);
  const ready: GeneratorReady = {
    type: 'ready',
    eventBytes: mean(samples.map((envelope) => envelope.envelopeBytes)),
    wireBytes: mean(samples.map((envelope) => envelope.length)),
    gzip: samples.some((envelope) => envelope.gzip),
  };
  process.on('message', (request: PhaseRequest) => {
    runPhase(sender, request).then((result) => process.send!(result));
  });
  // The orchestrator going away (even killed) must not leave a sender running.
  process.on('disconnect', () => process.exit(0));
  process.send!(ready);
}

main();
