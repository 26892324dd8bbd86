import type { FastifyInstance } from 'fastify';

/**
 * Sentry's MCP server sends `Content-Type: application/json` on every request, DELETEs and
 * body-less POSTs included (reference/sentry-clients.md §1.2); Fastify's parser refuses such an
 * empty body with a 400. An empty JSON body is simply no body. Web API bodies are small JSON
 * objects, so they get a tighter limit than the server-wide one sized for ingest.
 */
const API_BODY_LIMIT = 1024 * 1024;

export function acceptEmptyJsonBodies(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'string', bodyLimit: API_BODY_LIMIT },
    (request, body, done) => {
      if (body === '') {
        done(null, undefined);
        return;
      }
      parseJson(request, body as string, done);
    },
  );
}
