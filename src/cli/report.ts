import type { CliIo } from './output.ts';

/** `firebreak report` — placeholder until it lands. */
export async function reportCommand(_args: string[], io: CliIo): Promise<number> {
  io.err('firebreak: report is not available yet');
  return 1;
}
