import type { CliIo } from './output.ts';

/** `firebreak notify` — placeholder until it lands. */
export async function notifyCommand(_args: string[], io: CliIo): Promise<number> {
  io.err('firebreak: notify is not available yet');
  return 1;
}
