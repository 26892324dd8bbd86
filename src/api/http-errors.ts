import type { FastifyError, FastifyInstance } from 'fastify';
import { AppError, type AppErrorCode } from '../app-error.ts';

const STATUS: Record<AppErrorCode, number> = {
  NOT_FOUND: 404,
  CONFLICT: 409,
  VALIDATION: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  RATE_LIMITED: 429,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  UNAVAILABLE: 503,
  INTERNAL: 500,
};

/** The one HTTP error mapping: AppError → status + {"detail"}; anything unexpected → 500, logged. */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | AppError | Error, request, reply) => {
    if (error instanceof AppError) {
      if (error.retryAfter !== undefined) reply.header('Retry-After', String(error.retryAfter));
      for (const [name, value] of Object.entries(error.headers ?? {})) reply.header(name, value);
      if (error.code === 'INTERNAL') request.log.error({ err: error }, 'internal error');
      return reply.status(STATUS[error.code]).send({ detail: error.message });
    }
    const status = (error as FastifyError).statusCode;
    if (status && status >= 400 && status < 500) {
      // Fastify's own client errors (bad JSON body, bad content type, body too large).
      return reply.status(status).send({ detail: error.message });
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply.status(500).send({ detail: 'internal server error' });
  });
  app.setNotFoundHandler((_request, reply) => {
    reply.status(404).send({ detail: 'The requested resource does not exist' });
  });
}
