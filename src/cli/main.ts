import { actionCommand } from './action.ts';
import { alertCommand } from './alert.ts';
import { checkCommand } from './check.ts';
import { diagnosticsCommand } from './diagnostics.ts';
import { incidentCommand } from './incident.ts';
import { notifyCommand } from './notify.ts';
import { type CliIo, processIo, reportError } from './output.ts';
import { postmortemCommand } from './postmortem.ts';
import { reportCommand } from './report.ts';
import { runbookCommand } from './runbook.ts';
import { serveCommand } from './serve.ts';
import { setupCommand } from './setup.ts';
import { tokenCommand } from './token.ts';
import { userCommand } from './user.ts';

const COMMANDS: Record<string, (args: string[], io: CliIo) => Promise<number>> = {
  serve: serveCommand,
  setup: setupCommand,
  user: userCommand,
  token: tokenCommand,
  incident: incidentCommand,
  check: checkCommand,
  postmortem: postmortemCommand,
  action: actionCommand,
  report: reportCommand,
  diagnostics: diagnosticsCommand,
  runbook: runbookCommand,
  alert: alertCommand,
  notify: notifyCommand,
};

const LOCAL_COMMANDS = new Set(['serve', 'setup', 'user', 'token']);

const USAGE = `usage: firebreak <command> [options]

commands:
  serve   run the server   [--host 127.0.0.1] [--port 8000] [--database URL]
  setup   create an organisation, project, DSN key and API token
          --org SLUG --project SLUG [--database URL] [--json]
  user    user create --email E --name N [--org SLUG --role owner|admin|member]
          (password from FIREBREAK_PASSWORD or stdin)
  token   token create (--org SLUG | --user EMAIL) [--scopes a,b] [--kind user|org] [--json]
          token list [--org SLUG] · token revoke ID|TOKEN|PREFIX
  incident  run an incident over the REST API (see \`firebreak incident --help\`)
  check     monitoring checks against Firebreak or Sentry (see \`firebreak check --help\`)
  postmortem  an incident's post-mortem (Markdown ADR) · action  action items
  report    incident metrics (\`--since 90d\`) · diagnostics  one report for a project
  runbook   runbooks for projects and tags · alert  alert rules · notify  targets, deliveries, escalation

Database URLs: sqlite:PATH (default sqlite:firebreak.db) or postgres://…; also FIREBREAK_DATABASE_URL.
See docs/configuration.md for every setting.`;

export async function runCli(argv: string[], io: CliIo = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(USAGE);
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  // The local commands describe their options in the usage above; the others have their own help.
  if (LOCAL_COMMANDS.has(name) && rest.some((arg) => arg === '--help' || arg === '-h')) {
    io.out(USAGE);
    return 0;
  }
  if (!command) {
    io.err(`firebreak: unknown command "${name}"\n\n${USAGE}`);
    return 2;
  }
  try {
    return await command(rest, io);
  } catch (error) {
    return reportError(io, error);
  }
}
