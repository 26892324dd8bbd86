// Compares payload codecs on a real @sentry/node event (BIG=1: a ~43 KB event). Figures in docs/decisions/0003.

import { readFileSync } from 'node:fs';
import * as z from 'node:zlib';

const body = readFileSync(
  new URL('../test/fixtures/sentry-node-11.12.0-envelope.txt', import.meta.url),
  'utf8',
).split('\n')[2];
const ev = JSON.parse(body);
ev.breadcrumbs = Array.from({ length: 8 }, () => ev.breadcrumbs).flat();
ev.extra = {
  rows: Array.from({ length: 300 }, (_, i) => ({
    id: i,
    sku: 'SKU-' + ((i * 7919) % 10007),
    qty: i % 5,
    note: 'item ' + i,
  })),
};
const buf = process.env.BIG ? Buffer.from(JSON.stringify(ev)) : Buffer.from(body);
const codecs: [string, (b: Buffer) => Buffer, (b: Buffer) => Buffer][] = [
  [
    'zstd-1',
    (b) => z.zstdCompressSync(b, { params: { [z.constants.ZSTD_c_compressionLevel]: 1 } }),
    z.zstdDecompressSync,
  ],
  [
    'zstd-2',
    (b) => z.zstdCompressSync(b, { params: { [z.constants.ZSTD_c_compressionLevel]: 2 } }),
    z.zstdDecompressSync,
  ],
  ['zstd-3', (b) => z.zstdCompressSync(b), z.zstdDecompressSync],
  ['gzip-6', (b) => z.gzipSync(b), z.gunzipSync],
  ['deflate-1', (b) => z.deflateSync(b, { level: 1 }), z.inflateSync],
  [
    'brotli-4',
    (b) => z.brotliCompressSync(b, { params: { [z.constants.BROTLI_PARAM_QUALITY]: 4 } }),
    z.brotliDecompressSync,
  ],
];
// Codecs take turns over five rounds (the machine's speed drifts); each figure is the median.
const N = 2000;
const cpuMicros = (run: () => void) => {
  const started = process.cpuUsage();
  for (let i = 0; i < N; i++) run();
  const used = process.cpuUsage(started);
  return (used.user + used.system) / N;
};
const median = (values: number[]) => values.sort((a, b) => a - b)[values.length >> 1];
const timings = codecs.map(() => ({ compress: [] as number[], decompress: [] as number[] }));
for (let round = 0; round < 5; round++) {
  codecs.forEach(([, c, d], i) => {
    const out = c(buf);
    timings[i].compress.push(cpuMicros(() => c(buf)));
    timings[i].decompress.push(cpuMicros(() => d(out)));
  });
}
codecs.forEach(([name, c], i) => {
  const out = c(buf);
  const { compress, decompress } = timings[i];
  console.log(
    `${name}: ${buf.length} -> ${out.length} bytes (${(buf.length / out.length).toFixed(2)}x), compress ${median(compress).toFixed(1)} µs, decompress ${median(decompress).toFixed(1)} µs of CPU`,
  );
});
