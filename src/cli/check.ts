import type { CliIo } from './output.ts';

/** `firebreak check --mode …` — placeholder until the monitoring checks land (issue 7). */
export async function checkCommand(_args: string[], io: CliIo): Promise<number> {
  io.err('firebreak: check is not available yet');
  return 1;
}
