// Floors of the ingest path, for profiling: `node bench/ingest-floor.ts` sends envelopes holding only a
// client report (HTTP, auth and framing, nothing stored); `KIND=event` sends a tiny message event
// (the whole pipeline at its cheapest). 64 keep-alive connections for 5 s against a fresh SQLite server,
// through the load generator's raw keep-alive client (node:http's client cost more CPU than the server).

import { spawn } from 'node:child_process';
import { KeepAlivePool } from './keep-alive-client.ts';

const db = `sqlite:/tmp/hb-${Date.now()}.db`;
const setup = JSON.parse(
  await new Promise<string>((res) => {
    let o = '';
    const c = spawn(process.execPath, [
      'bin/firebreak.js',
      'setup',
      '--org',
      'h',
      '--project',
      'p',
      '--database',
      db,
      '--json',
    ]);
    c.stdout.on('data', (d) => (o += d));
    c.on('close', () => res(o));
  }),
);
const server = spawn(process.execPath, ['bin/firebreak.js', 'serve', '--port', '0', '--database', db], {
  env: { ...process.env, FIREBREAK_LOG_LEVEL: 'warn' },
});
const url: string = await new Promise((res) => {
  let e = '';
  server.stderr.on('data', (d) => {
    e += d;
    const m = /listening on (\S+)/.exec(e);
    if (m) res(m[1]);
  });
});
const key = new URL(setup.dsn).username;
const body = Buffer.from(
  process.env.KIND === 'event'
    ? `{}\n{"type":"event"}\n{"message":"m"}`
    : `{}\n{"type":"client_report"}\n{"timestamp":1,"discarded_events":[]}`,
);
const u = new URL(url);
const head = `POST /api/${setup.projectId}/envelope/?sentry_key=${key}&sentry_version=7 HTTP/1.1\r\nHost: ${u.host}\r\nContent-Length: ${body.length}\r\n\r\n`;
const pool = new KeepAlivePool(u.hostname, Number(u.port), 64, 30_000);
let n = 0;
let failed = 0;
const end = Date.now() + 5000;
await Promise.all(
  Array.from({ length: 64 }, async () => {
    while (Date.now() < end) {
      const answer = await pool.request(head, [body]);
      if (answer.status === 200) n++;
      else failed++;
    }
  }),
);
pool.destroy();
if (failed > 0) console.log(`${failed} requests were not answered 200`);
console.log(process.env.KIND ?? 'client_report', (n / 5).toFixed(0), 'req/s');
server.kill('SIGTERM');
