import { connect, type Env, TARGET_HELP } from './connect.ts';
import { orgPath, str, UsageError } from './incident-args.ts';
import { type CliIo, printJson } from './output.ts';
import { renderMetrics } from './report-view.ts';
import { runCommand } from './rest-command.ts';

const USAGE = `usage: firebreak report [--since 90d] [--url URL] [--org SLUG] [--json]
Incident metrics of the organisation for incidents declared since --since (90d, 12w, 48h or a
date; default 90d): time to detect, acknowledge, mitigate and resolve (median, p90, count) by
severity and by month, incidents per project and component per month (the fragile areas), and
open and overdue action items. Needs incident:read.
${TARGET_HELP}`;

/** `firebreak report --since 90d` — GET /organizations/{org}/incident-metrics/. */
export async function reportCommand(args: string[], io: CliIo, env: Env = process.env): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    io.out(USAGE);
    return 0;
  }
  return runCommand(io, 'report', USAGE, async () => {
    const { values, positionals, client, org, json } = connect(args, { since: { type: 'string' } }, env);
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    const answer = await client.request({
      method: 'GET',
      path: orgPath(org, 'incident-metrics'),
      query: { since: str(values, 'since') },
    });
    if (json) printJson(io, answer);
    else renderMetrics(io, answer, org);
    return 0;
  });
}
