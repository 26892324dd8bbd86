import type { CliIo } from './output.ts';

/** `firebreak alert` — placeholder until it lands. */
export async function alertCommand(_args: string[], io: CliIo): Promise<number> {
  io.err('firebreak: alert is not available yet');
  return 1;
}
