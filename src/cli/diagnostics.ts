import { connect, type Env, TARGET_HELP } from './connect.ts';
import { renderDiagnostics } from './diagnostics-view.ts';
import { projectPath, str, UsageError } from './incident-args.ts';
import { type CliIo, printJson } from './output.ts';
import { runCommand } from './rest-command.ts';

const USAGE = `usage: firebreak diagnostics --project SLUG [--since 1h] [--limit 10] [--url URL] [--org SLUG] [--json]
One report for a project (004's gather_diagnostics): the busiest issues and their rates against
the window before, top crash frames, affected users, recent releases and deploys, events per
release and environment, and the open incidents and runbooks involving the project. --since is
how far back (30m, 1h, 24h; at most the per-minute counts' retention, 48h by default). Needs
event:read; incidents also need incident:read, runbooks incident:read or project:read.
${TARGET_HELP}`;

/** `firebreak diagnostics --project P` — GET /projects/{org}/{project}/diagnostics/. */
export async function diagnosticsCommand(args: string[], io: CliIo, env: Env = process.env): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    io.out(USAGE);
    return 0;
  }
  return runCommand(io, 'diagnostics', USAGE, async () => {
    const { values, positionals, client, org, json } = connect(
      args,
      { project: { type: 'string', short: 'p' }, since: { type: 'string' }, limit: { type: 'string' } },
      env,
    );
    const project = str(values, 'project') ?? positionals[0];
    if (!project) throw new UsageError('name the project: --project SLUG');
    if (positionals.length > (str(values, 'project') ? 0 : 1)) {
      throw new UsageError(`unexpected argument "${positionals.at(-1)}"`);
    }
    const answer = await client.request({
      method: 'GET',
      path: projectPath(org, project, 'diagnostics'),
      query: { since: str(values, 'since'), limit: str(values, 'limit') },
    });
    if (json) printJson(io, answer);
    else renderDiagnostics(io, answer);
    return 0;
  });
}
