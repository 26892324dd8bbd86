import { checkCommand } from '../../src/cli/check.ts';

export interface CheckRun {
  code: number;
  out: string;
  err: string;
  /** The parsed document when --json was passed. */
  json: any;
}

/**
 * Runs `firebreak check` in-process with exactly the given environment (nothing inherited, so a
 * developer's SENTRY_* variables never leak into a test).
 */
export async function runCheck(args: string[], env: Record<string, string> = {}): Promise<CheckRun> {
  const out: string[] = [];
  const err: string[] = [];
  const io = { out: (t: string) => out.push(t), err: (t: string) => err.push(t) };
  const code = await checkCommand(args, io, { HOME: '/nonexistent-home', ...env });
  const text = out.join('\n');
  return { code, out: text, err: err.join('\n'), json: args.includes('--json') ? JSON.parse(text) : null };
}

/** The check that `mode` produced inside a --json document. */
export function checkOf(doc: any, mode: string): any {
  const found = doc.checks.find((c: any) => c.mode === mode);
  if (!found) throw new Error(`no ${mode} check in the output`);
  return found;
}
