import type { FastifyInstance, FastifyRequest } from 'fastify';
import { invalid } from '../app-error.ts';
import { withStorableEscapes } from '../digest/json-escapes.ts';

/**
 * Sentry's MCP server sends `Content-Type: application/json` on every request, DELETEs and
 * body-less POSTs included (reference/sentry-clients.md §1.2); Fastify's parser refuses such an
 * empty body with a 400. An empty JSON body is simply no body. Web API bodies are small JSON
 * objects, so they get a tighter limit than the server-wide one sized for ingest.
 *
 * `\u0000` and lone surrogate escapes become U+FFFD before parsing, as in ingested events
 * (src/digest/json-escapes.ts): PostgreSQL cannot store either (a note or a release name failed
 * with a 500 there) and SQLite stored them as sent, so the two backends disagreed.
 */
const API_BODY_LIMIT = 1024 * 1024;

export function acceptJsonBodies(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'buffer', bodyLimit: API_BODY_LIMIT },
    (request, body, done) => {
      if ((body as Buffer).length === 0) {
        done(null, undefined);
        return;
      }
      parseJson(request, withStorableEscapes(body as Buffer).toString(), done);
    },
  );
}

/**
 * A `%00` in a Web API path or query decodes to U+0000, which no name, slug, version or search
 * holds: refused here with a 400, before any store sees it (PostgreSQL answered it with a 500).
 */
export async function refuseNulInUrl(request: FastifyRequest): Promise<void> {
  if (/%00/.test(request.url)) throw invalid('the request URL contains a NUL character (%00)');
}
