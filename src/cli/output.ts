import { AppError, type AppErrorCode } from '../app-error.ts';

/** All CLI output goes through here, so formats and exit codes stay consistent. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** Writes already-filtered document text as it is (printDocument); without it, `out`. */
  document?(text: string): void;
}

/**
 * What a terminal may act on rather than show: C0 controls but tab and newline, DEL, C1 controls
 * (U+009B is CSI to some terminals) and the bidirectional marks that reorder what is shown. Event
 * text reaches many views (anyone with a DSN writes it), so everything printed passes through
 * here, each such character written as `\uXXXX`: visible, never acted on, and in JSON output an
 * escape of the same string, so `--json` readers get exactly the data.
 */
const TERMINAL_UNSAFE =
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export function terminalSafe(text: string): string {
  return text.replace(TERMINAL_UNSAFE, visibleEscape);
}

const visibleEscape = (c: string): string => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** The same, but carriage returns stay: they end the lines of a CRLF document. */
const DOCUMENT_UNSAFE =
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export const processIo: CliIo = {
  out: (text) => process.stdout.write(`${terminalSafe(text)}\n`),
  err: (text) => process.stderr.write(`${terminalSafe(text)}\n`),
  document: (text) => process.stdout.write(`${text}\n`),
};

/**
 * A document printed to be saved (`runbook show --raw`, a post-mortem's Markdown): tabs, newlines
 * and carriage returns as they are, so a CRLF file survives `> runbook.md` byte for byte; escape
 * sequences and other controls a terminal would act on are still written as visible `\uXXXX`.
 */
export function printDocument(io: CliIo, text: string): void {
  const safe = text.replace(DOCUMENT_UNSAFE, visibleEscape);
  if (io.document) io.document(safe);
  else io.out(safe);
}

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
