/** The one error type domain code throws; each transport maps `code` to its own shape. */
export type AppErrorCode =
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'VALIDATION'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'RATE_LIMITED'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'UNAVAILABLE'
  | 'INTERNAL';

export class AppError extends Error {
  readonly code: AppErrorCode;
  /** Seconds a client should wait before retrying (RATE_LIMITED / UNAVAILABLE). */
  readonly retryAfter?: number;
  /** Extra response headers a transport should send (e.g. X-Sentry-Rate-Limits). */
  readonly headers?: Record<string, string>;

  constructor(
    code: AppErrorCode,
    message: string,
    extra: { retryAfter?: number; headers?: Record<string, string>; cause?: unknown } = {},
  ) {
    super(message, { cause: extra.cause });
    this.name = 'AppError';
    this.code = code;
    this.retryAfter = extra.retryAfter;
    this.headers = extra.headers;
  }
}

export const notFound = (what: string) => new AppError('NOT_FOUND', `${what} not found`);
export const invalid = (detail: string) => new AppError('VALIDATION', detail);
export const conflict = (detail: string) => new AppError('CONFLICT', detail);
export const unauthorized = (detail: string) => new AppError('UNAUTHORIZED', detail);
export const forbidden = (detail: string) => new AppError('FORBIDDEN', detail);
