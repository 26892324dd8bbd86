import { parseDsn, redactSecrets } from './mask.ts';
import type { CheckOptions } from './options.ts';
import type { CheckOutput } from './schemas.ts';

/**
 * The playbook's output contract, exactly: `Status:`, then `Evidence:`, `Risks:` and
 * `Next commands:`, each a list (`- none` when empty). `--json` prints the same as one object.
 */
export function renderText(output: CheckOutput): string {
  const section = (title: string, lines: string[]) =>
    [`${title}:`, ...(lines.length ? lines : ['none']).map((line) => `- ${line}`)].join('\n');
  return [
    `Status: ${output.status}`,
    section('Evidence', output.evidence),
    section('Risks', output.risks),
    section('Next commands', output.nextCommands),
  ].join('\n');
}

export function renderJson(output: CheckOutput): string {
  return JSON.stringify(output, null, 2);
}

/**
 * Last line of defence: whatever reached the output, the token, the DSN and its keys never
 * leave in full (masked forms are built from them deliberately; this catches everything else).
 */
export function redactOutput(text: string, options: Pick<CheckOptions, 'token' | 'dsn'>): string {
  const dsn = options.dsn ? parseDsn(options.dsn) : null;
  return redactSecrets(text, [options.token, options.dsn, dsn?.publicKey ?? null, dsn?.secretKey ?? null]);
}
