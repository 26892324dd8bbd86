import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GcTrace } from '../bench/gc-trace.ts';

// Lines as V8 (Node 24) prints them with --trace-gc, between the server's own log lines.
const MAIN = '[21064:0x1bab7000]';
const WORKER = '[21064:0x1bc86000]';
const TRACE = [
  `${MAIN}    20752 ms: Mark-Compact 30.6 (35.7) -> 24.2 (35.9) MB, pooled: 2 MB, 17.81 / 0.00 ms  (+ 1.2 ms in 14 steps since start of marking, biggest step 0.2 ms, walltime since start of marking 79 ms) (average mu = 0.955, current mu = 0.961) finalize incremental marking via task; GC in old space requested`,
  `${MAIN}    20760 ms: Scavenge 26.1 (36.2) -> 24.9 (36.2) MB, pooled: 0 MB, 2.24 / 0.00 ms  (average mu = 0.955, current mu = 0.961) allocation failure; `,
  '{"level":30,"time":1795387001,"msg":"request completed"}',
  `${WORKER}     7090 ms: Mark-Compact 7.1 (12.3) -> 5.7 (12.3) MB, pooled: 4 MB, 18.00 / 0.01 ms  (average mu = 0.973, current mu = 0.968) background allocation failure; GC in old space requested`,
  `${WORKER}     7100 ms: Scavenge 6.0 (12.3) -> 5.8 (12.3) MB, pooled: 0 MB, 0.59 / 0.00 ms  (average mu = 0.973, current mu = 0.968) allocation failure; `,
  `${MAIN}    21083 ms: Mark-Compact (reduce) 32.0 (36.4) -> 25.0 (36.2) MB, pooled: 2 MB, 8.98 / 0.00 ms  (average mu = 0.924, current mu = 0.880) finalize incremental marking via task; GC in old space requested`,
].join('\n');

test('GC pauses are summed per isolate, the longest-pausing first, from lines split across chunks', () => {
  const trace = new GcTrace();
  // Cut mid-line, as a pipe delivers it.
  trace.feed(TRACE.slice(0, 150));
  trace.feed(`${TRACE.slice(150)}\n`);
  assert.deepEqual(trace.since(0), [
    { isolate: '0x1bab7000', heapMb: 25, scavenges: 1, scavengeMs: 2, majors: 2, majorMs: 27, over10Ms: 1 },
    { isolate: '0x1bc86000', heapMb: 5.8, scavenges: 1, scavengeMs: 1, majors: 1, majorMs: 18, over10Ms: 1 },
  ]);
});

test('a mark leaves out the pauses before it', () => {
  const trace = new GcTrace();
  trace.feed(`${TRACE}\n`);
  const mark = trace.mark();
  assert.deepEqual(trace.since(mark), []);
  trace.feed(
    `${WORKER}     9000 ms: Scavenge 6.0 (12.3) -> 5.8 (12.3) MB, pooled: 0 MB, 11.50 / 0.00 ms  (average mu = 0.9) allocation failure; \n`,
  );
  assert.deepEqual(trace.since(mark), [
    { isolate: '0x1bc86000', heapMb: 5.8, scavenges: 1, scavengeMs: 12, majors: 0, majorMs: 0, over10Ms: 1 },
  ]);
});
