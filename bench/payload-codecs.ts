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
  ['zstd-3', (b) => z.zstdCompressSync(b), z.zstdDecompressSync],
  ['gzip-6', (b) => z.gzipSync(b), z.gunzipSync],
  ['deflate-1', (b) => z.deflateSync(b, { level: 1 }), z.inflateSync],
  [
    'brotli-4',
    (b) => z.brotliCompressSync(b, { params: { [z.constants.BROTLI_PARAM_QUALITY]: 4 } }),
    z.brotliDecompressSync,
  ],
];
for (const [name, c, d] of codecs) {
  const out = c(buf);
  const N = 5000;
  let t = process.hrtime.bigint();
  for (let i = 0; i < N; i++) c(buf);
  const ct = Number(process.hrtime.bigint() - t) / N / 1000;
  t = process.hrtime.bigint();
  for (let i = 0; i < N; i++) d(out);
  const dt = Number(process.hrtime.bigint() - t) / N / 1000;
  console.log(
    `${name}: ${buf.length} -> ${out.length} bytes (${(buf.length / out.length).toFixed(2)}x), compress ${ct.toFixed(1)} µs, decompress ${dt.toFixed(1)} µs`,
  );
}
