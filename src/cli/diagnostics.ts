import type { CliIo } from './output.ts';

/** `firebreak diagnostics` — placeholder until it lands. */
export async function diagnosticsCommand(_args: string[], io: CliIo): Promise<number> {
  io.err('firebreak: diagnostics is not available yet');
  return 1;
}
