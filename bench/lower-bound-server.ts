import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { DatabaseSync } from 'node:sqlite';
import { gunzipSync } from 'node:zlib';
import { prepareEvent } from '../src/digest/prepare.ts';
import { PREPARE_PROJECT } from './payloads.ts';

/**
 * A throw-away ingest server that does strictly less than Firebreak must, for
 * bench/ingest-lower-bound.ts: whatever rate it reaches is an upper bound on any Node.js server
 * doing the whole job on the same machine. No auth, limits, normalising, scrubbing, grouping,
 * issues, counters, tags or users, one thread, and no second hop between threads.
 *
 *   node bench/lower-bound-server.ts answer|fastify|parse|prepare|store [SQLITE_PATH]
 *
 * - answer:  read the body, answer `{"id": …}`.
 * - fastify: the same through Fastify as Firebreak sets it up (its options, logger and error
 *            handler, the ingest plugin's stream parser and CORS hook, `readBody`): what the
 *            framework costs per request (decision 0001 says when to revisit it).
 * - parse:   also gunzip, split the envelope, parse its header, item header and event, and
 *            serialise the event again (what storing it needs at the least).
 * - prepare: instead of serialising, run Firebreak's own prepare step on the parsed event
 *            (normalise, scrub, group, serialise, compress: src/digest/prepare.ts).
 * - store:   also insert each prepared event as one row into SQLite, in one transaction per
 *            event-loop turn, answering only after the commit. synchronous=OFF: no fsync at all,
 *            less than Firebreak's NORMAL (whose checkpoints fsync).
 */

const LEVELS = ['answer', 'fastify', 'parse', 'prepare', 'store'] as const;
type Level = (typeof LEVELS)[number];

const level = process.argv[2] as Level;
if (!LEVELS.includes(level)) throw new Error(`level must be one of ${LEVELS.join(', ')}`);
const project = PREPARE_PROJECT;
const database = level === 'store' ? openDatabase(process.argv[3]) : null;

interface Parsed {
  id: string;
  event: Record<string, unknown>;
}

interface Pending {
  id: string;
  payload: Uint8Array;
  response: http.ServerResponse;
}
let batch: Pending[] = [];

function openDatabase(path: string | undefined): { insert(rows: Pending[]): void } {
  if (!path) throw new Error('store needs a SQLite path');
  const db = new DatabaseSync(path);
  db.exec('PRAGMA page_size = 8192; PRAGMA journal_mode = WAL; PRAGMA synchronous = OFF');
  db.exec('CREATE TABLE IF NOT EXISTS events (id TEXT PRIMARY KEY, received INTEGER, payload BLOB)');
  const insert = db.prepare('INSERT INTO events (id, received, payload) VALUES (?, ?, ?)');
  return {
    insert(rows) {
      db.exec('BEGIN');
      const now = Date.now();
      for (const row of rows) insert.run(row.id, now, row.payload);
      db.exec('COMMIT');
    },
  };
}

function commitBatch(): void {
  const rows = batch;
  batch = [];
  database!.insert(rows);
  for (const row of rows) answer(row.response, row.id);
}

function answer(response: http.ServerResponse, id: string): void {
  const body = `{"id":"${id}"}`;
  response.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
  response.end(body);
}

/** The event item of an envelope: header line, item header line, item payload. */
function parseEnvelope(body: Buffer): Parsed {
  const firstNewline = body.indexOf(10);
  const secondNewline = body.indexOf(10, firstNewline + 1);
  const header = JSON.parse(body.toString('utf8', 0, firstNewline)) as { event_id?: string };
  const itemHeader = JSON.parse(body.toString('utf8', firstNewline + 1, secondNewline)) as {
    length?: number;
  };
  const start = secondNewline + 1;
  const end = itemHeader.length === undefined ? body.indexOf(10, start) : start + itemHeader.length;
  const event = JSON.parse(body.toString('utf8', start, end < 0 ? body.length : end));
  return { id: header.event_id ?? randomUUID().replaceAll('-', ''), event };
}

const server = http.createServer({ keepAliveTimeout: 60_000 }, (request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    if (level === 'answer') return answer(response, randomUUID().replaceAll('-', ''));
    let body = Buffer.concat(chunks);
    if (request.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
    const { id, event } = parseEnvelope(body);
    if (level === 'parse') {
      JSON.stringify(event);
      return answer(response, id);
    }
    const prepared = prepareEvent(event, { project, receivedAt: Date.now(), envelopeEventId: id });
    if (level === 'prepare') return answer(response, id);
    if (batch.length === 0) setImmediate(commitBatch);
    batch.push({ id, payload: prepared.payload, response });
  });
});

if (level === 'fastify') {
  const app = await fastifyAnswer();
  const origin = await app.listen({ host: '127.0.0.1', port: 0 });
  process.stderr.write(`lower bound listening on ${origin}\n`);
  process.on('SIGTERM', () => app.close().then(() => process.exit(0)));
} else {
  server.listen(0, '127.0.0.1', () => {
    const { port } = server.address() as { port: number };
    process.stderr.write(`lower bound listening on http://127.0.0.1:${port}\n`);
  });
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
}

/**
 * Firebreak's Fastify setup (src/api/server.ts, src/ingest/routes.ts) around an answer-only route,
 * imported only for this level: the other levels' heaps stay free of Fastify and the API's code.
 */
async function fastifyAnswer() {
  const [{ default: Fastify }, { pino }, { installErrorHandler }, { serverOptions }, { AppError }] =
    await Promise.all([
      import('fastify'),
      import('pino'),
      import('../src/api/http-errors.ts'),
      import('../src/api/server.ts'),
      import('../src/app-error.ts'),
    ]);
  const [{ readBody }, { INGEST_LIMITS }, { acceptRawBodies }] = await Promise.all([
    import('../src/ingest/decompress.ts'),
    import('../src/ingest/limits.ts'),
    import('../src/ingest/routes.ts'),
  ]);
  const app = Fastify(serverOptions(pino({ level: 'info' })));
  installErrorHandler(app);
  await app.register(async (ingest) => {
    acceptRawBodies(ingest);
    ingest.post('/api/:projectId/envelope/', async (request, reply) => {
      const stream = request.body as NodeJS.ReadableStream | undefined;
      const body = stream
        ? await readBody(stream, request.headers['content-encoding'], {
            maxRequestBytes: INGEST_LIMITS.maxRequestBytes,
            maxDecompressedBytes: INGEST_LIMITS.maxEnvelopeBytes,
            charge: () => {},
          })
        : Buffer.alloc(0);
      if (body.length === 0) throw new AppError('VALIDATION', 'empty request body');
      return reply.status(200).send({ id: randomUUID().replaceAll('-', '') });
    });
  });
  return app;
}
