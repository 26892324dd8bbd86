import { readFileSync } from 'node:fs';
import { relative } from 'node:path';

/**
 * Top self-time functions of a V8 .cpuprofile (e.g. from `bench/ingest.ts --cpu-prof DIR`),
 * and self time per source file.   node bench/profile-top.ts FILE.cpuprofile [N]
 */

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  samples: number[];
  timeDeltas: number[];
}

const [file, limitArg] = process.argv.slice(2);
if (!file) throw new Error('usage: node bench/profile-top.ts FILE.cpuprofile [N]');
const limit = Number(limitArg ?? 25);
const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;

const nodes = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
const byFunction = new Map<string, number>();
const byFile = new Map<string, number>();
let totalMicros = 0;
profile.samples.forEach((id, i) => {
  const frame = nodes.get(id)!;
  const micros = profile.timeDeltas[i] ?? 0;
  const source = shortSource(frame.url);
  const name = `${frame.functionName || '(anonymous)'}  ${source}${frame.url ? `:${frame.lineNumber + 1}` : ''}`;
  byFunction.set(name, (byFunction.get(name) ?? 0) + micros);
  byFile.set(source, (byFile.get(source) ?? 0) + micros);
  totalMicros += micros;
});

function shortSource(url: string): string {
  if (!url) return '(native/vm)';
  const path = url.replace(/^file:\/\//, '');
  const inModules = path.lastIndexOf('node_modules/');
  return inModules >= 0 ? path.slice(inModules + 'node_modules/'.length) : relative(process.cwd(), path);
}

function printTop(title: string, totals: Map<string, number>): void {
  console.log(`\n${title} (of ${(totalMicros / 1e6).toFixed(1)} s sampled)`);
  const top = [...totals].sort((a, b) => b[1] - a[1]).slice(0, limit);
  for (const [name, micros] of top) {
    console.log(`${((100 * micros) / totalMicros).toFixed(1).padStart(5)}%  ${name}`);
  }
}

printTop('self time by function', byFunction);
printTop('self time by file', byFile);
