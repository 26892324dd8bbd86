import type { FastifyReply, FastifyRequest } from 'fastify';

interface LinkTarget {
  cursor: string;
  results: boolean;
}

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
  writeLinks(request, reply, publicUrl, {
    previous: { cursor: page.cursor ?? '', results: page.cursor !== undefined && page.cursor !== '' },
    next: { cursor: page.nextCursor ?? '', results: page.nextCursor !== null },
  });
}

/**
 * The same header for lists that know the page before the current one (offset pages). On the
 * first page `previous` is Sentry's `0:0:1` with results="false".
 */
export function setPageLinks(
  request: FastifyRequest,
  reply: FastifyReply,
  publicUrl: string,
  page: { previousCursor: string | null; nextCursor: string | null },
): void {
  writeLinks(request, reply, publicUrl, {
    previous: { cursor: page.previousCursor ?? '0:0:1', results: page.previousCursor !== null },
    next: { cursor: page.nextCursor ?? '', results: page.nextCursor !== null },
  });
}

function writeLinks(
  request: FastifyRequest,
  reply: FastifyReply,
  publicUrl: string,
  targets: { previous: LinkTarget; next: LinkTarget },
): void {
  const url = new URL(request.url, publicUrl);
  const link = (rel: string, { cursor, results }: LinkTarget) => {
    url.searchParams.set('cursor', cursor);
    return `<${url.toString()}>; rel="${rel}"; results="${results}"; cursor="${cursor}"`;
  };
  reply.header('Link', `${link('previous', targets.previous)}, ${link('next', targets.next)}`);
}
