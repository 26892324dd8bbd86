import type { CliIo } from './output.ts';

/** `firebreak incident …` — placeholder until the incident verbs land (issue 4). */
export async function incidentCommand(_args: string[], io: CliIo): Promise<number> {
  io.err('firebreak: incident is not available yet');
  return 1;
}
