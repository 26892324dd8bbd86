import type { FastifyReply, FastifyRequest } from 'fastify';

interface LinkTarget {
  cursor: string;
  results: boolean;
}

/**
 * Sentry's cursor Link header (reference §5.2): always both rels, `results` says whether the
 * page exists; sentry-cli stops when `next` has results="false". For offset cursors
 * (`0:OFFSET:0`) `previous` is the page before, by the request's page size; a keyset cursor
 * cannot be walked back, so there `previous` has results="false" (it once repeated the current
 * page with results="true", sending a client that pages back in circles).
 */
export function setLinkHeader(
  request: FastifyRequest,
  reply: FastifyReply,
  publicUrl: string,
  page: { cursor: string | undefined; nextCursor: string | null },
): void {
  writeLinks(request, reply, publicUrl, {
    previous: previousOf(request, page),
    next: { cursor: page.nextCursor ?? '', results: page.nextCursor !== null },
  });
}

const OFFSET_CURSOR = /^\d{1,15}:(\d{1,15}):[01]$/;

function previousOf(
  request: FastifyRequest,
  page: { cursor: string | undefined; nextCursor: string | null },
): LinkTarget {
  const offset = OFFSET_CURSOR.exec(page.cursor ?? '')?.[1];
  if (offset === undefined || Number(offset) === 0) return { cursor: '0:0:1', results: false };
  const query = request.query as Record<string, unknown>;
  const nextOffset = OFFSET_CURSOR.exec(page.nextCursor ?? '')?.[1];
  const size =
    Number(query.per_page ?? query.limit) ||
    (nextOffset !== undefined ? Number(nextOffset) - Number(offset) : Number.NaN);
  if (!Number.isSafeInteger(size) || size <= 0) return { cursor: '0:0:1', results: false };
  return { cursor: `0:${Math.max(0, Number(offset) - size)}:1`, results: true };
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
