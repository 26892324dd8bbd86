import { connect, type Env, TARGET_HELP } from './connect.ts';
import { renderDiagnostics } from './diagnostics-view.ts';
import { projectPath, str, UsageError } from './incident-args.ts';
import { type CliIo, printJson } from './output.ts';
import { runCommand } from './rest-command.ts';
import { projectsOfService } from './service-projects.ts';

const USAGE = `usage: firebreak diagnostics (--project SLUG | --service NAME) [--since 1h] [--limit 10] [--url URL] [--org SLUG] [--json]
One report for a project (004's gather_diagnostics): the busiest issues and their rates against
the window before, top crash frames, affected users, recent releases and deploys, events per
release and environment, and the open incidents and runbooks involving the project. --since is
how far back (30m, 1h, 24h; at most the per-minute counts' retention, 48h by default).
--service takes a service as incidents name it: a project's slug, or a tag value (service:api,
or a bare name under the organisation's componentTag) — then one report per project whose
unresolved issues of the last 14 days carry it, most such issues first. Needs event:read;
incidents also need incident:read, runbooks incident:read or project:read.
${TARGET_HELP}`;

/** Where a service's projects are looked for: its tagged issues seen this far back. */
const SERVICE_PERIOD = '14d';

/** `firebreak diagnostics --project P` — GET /projects/{org}/{project}/diagnostics/. */
export async function diagnosticsCommand(args: string[], io: CliIo, env: Env = process.env): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    io.out(USAGE);
    return 0;
  }
  return runCommand(io, 'diagnostics', USAGE, async () => {
    const { values, positionals, client, org, json } = connect(
      args,
      {
        project: { type: 'string', short: 'p' },
        service: { type: 'string', short: 's' },
        since: { type: 'string' },
        limit: { type: 'string' },
      },
      env,
    );
    const service = str(values, 'service');
    const project = str(values, 'project') ?? (service === undefined ? positionals[0] : undefined);
    if (service !== undefined && str(values, 'project') !== undefined) {
      throw new UsageError('name a project or a service, not both');
    }
    if (!project && service === undefined)
      throw new UsageError('name the project (--project SLUG) or the service (--service NAME)');
    if (positionals.length > (str(values, 'project') || service !== undefined ? 0 : 1)) {
      throw new UsageError(`unexpected argument "${positionals.at(-1)}"`);
    }
    const report = (slug: string) =>
      client.request({
        method: 'GET',
        path: projectPath(org, slug, 'diagnostics'),
        query: { since: str(values, 'since'), limit: str(values, 'limit') },
      });
    if (project) {
      const answer = await report(project);
      if (json) printJson(io, answer);
      else renderDiagnostics(io, answer);
      return 0;
    }
    const found = await projectsOfService(client, org, service as string, SERVICE_PERIOD);
    const reports = [];
    for (const p of found.projects)
      reports.push({ project: p.slug, taggedIssues: p.issues, diagnostics: await report(p.slug) });
    if (json) {
      printJson(io, { service: found.service, tag: found.tag, projects: reports });
      return 0;
    }
    for (const [index, r] of reports.entries()) {
      if (index > 0) io.out('');
      io.out(
        found.tag === null
          ? `service ${found.service}: project ${r.project}`
          : `service ${found.service}: project ${r.project} (${r.taggedIssues} unresolved issue(s) tagged ${found.tag})`,
      );
      renderDiagnostics(io, r.diagnostics);
    }
    return 0;
  });
}
