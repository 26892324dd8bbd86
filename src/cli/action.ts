import type { CliIo } from './output.ts';

/** `firebreak action` — placeholder until it lands. */
export async function actionCommand(_args: string[], io: CliIo): Promise<number> {
  io.err('firebreak: action is not available yet');
  return 1;
}
