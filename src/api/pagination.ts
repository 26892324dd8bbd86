import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * Sentry's cursor Link header (reference §5.2): always both rels, `results` says whether the
 * page exists; sentry-cli stops when `next` has results="false".
 */
export function setLinkHeader(
  request: FastifyRequest,
  reply: FastifyReply,
  publicUrl: string,
  page: { cursor: string | undefined; nextCursor: string | null },
): void {
  const url = new URL(request.url, publicUrl);
  const link = (rel: string, cursor: string, results: boolean) => {
    url.searchParams.set('cursor', cursor);
    return `<${url.toString()}>; rel="${rel}"; results="${results}"; cursor="${cursor}"`;
  };
  const previous = link('previous', page.cursor ?? '', page.cursor !== undefined && page.cursor !== '');
  const next = link('next', page.nextCursor ?? '', page.nextCursor !== null);
  reply.header('Link', `${previous}, ${next}`);
}
