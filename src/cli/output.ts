import { AppError, type AppErrorCode } from '../app-error.ts';

/** All CLI output goes through here, so formats and exit codes stay consistent. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

export const processIo: CliIo = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
};

export function printJson(io: CliIo, value: unknown): void {
  io.out(JSON.stringify(value, null, 2));
}

/** Aligned `key: value` lines for human output. */
export function printFields(io: CliIo, fields: [string, string][]): void {
  const width = Math.max(...fields.map(([k]) => k.length));
  for (const [key, value] of fields) io.out(`${`${key}:`.padEnd(width + 2)}${value}`);
}

const EXIT_CODES: Partial<Record<AppErrorCode, number>> = {
  VALIDATION: 2,
  NOT_FOUND: 3,
  UNAUTHORIZED: 4,
  FORBIDDEN: 4,
  CONFLICT: 5,
  UNAVAILABLE: 6,
};

/** Prints an error for a person and returns the exit code (usage errors 2, others ≥ 3, unexpected 1). */
export function reportError(io: CliIo, error: unknown): number {
  if (error instanceof AppError) {
    io.err(`firebreak: ${error.message}`);
    return EXIT_CODES[error.code] ?? 1;
  }
  if (error instanceof TypeError && (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
    io.err(`firebreak: ${error.message}`);
    return 2;
  }
  io.err(
    `firebreak: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
  );
  return 1;
}
