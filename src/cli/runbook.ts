import type { CliIo } from './output.ts';

/** `firebreak runbook` — placeholder until it lands. */
export async function runbookCommand(_args: string[], io: CliIo): Promise<number> {
  io.err('firebreak: runbook is not available yet');
  return 1;
}
