import type { CliIo } from './output.ts';

/** `firebreak postmortem` — placeholder until it lands. */
export async function postmortemCommand(_args: string[], io: CliIo): Promise<number> {
  io.err('firebreak: postmortem is not available yet');
  return 1;
}
