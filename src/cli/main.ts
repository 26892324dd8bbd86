import { type CliIo, processIo, reportError } from './output.ts';

type Command = (args: string[], io: CliIo) => Promise<number>;

/**
 * Each command is imported when it runs: `serve` then loads neither the REST client commands
 * nor their renderers, and a client command does not load the server.
 */
const COMMANDS: Record<string, () => Promise<Command>> = {
  serve: async () => (await import('./serve.ts')).serveCommand,
  setup: async () => (await import('./setup.ts')).setupCommand,
  user: async () => (await import('./user.ts')).userCommand,
  token: async () => (await import('./token.ts')).tokenCommand,
  incident: async () => (await import('./incident.ts')).incidentCommand,
  check: async () => (await import('./check.ts')).checkCommand,
  postmortem: async () => (await import('./postmortem.ts')).postmortemCommand,
  action: async () => (await import('./action.ts')).actionCommand,
  report: async () => (await import('./report.ts')).reportCommand,
  diagnostics: async () => (await import('./diagnostics.ts')).diagnosticsCommand,
  runbook: async () => (await import('./runbook.ts')).runbookCommand,
  alert: async () => (await import('./alert.ts')).alertCommand,
  notify: async () => (await import('./notify.ts')).notifyCommand,
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
  const loadCommand = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  // The local commands describe their options in the usage above; the others have their own help.
  if (LOCAL_COMMANDS.has(name) && rest.some((arg) => arg === '--help' || arg === '-h')) {
    io.out(USAGE);
    return 0;
  }
  if (!loadCommand) {
    io.err(`firebreak: unknown command "${name}"\n\n${USAGE}`);
    return 2;
  }
  try {
    const command = await loadCommand();
    return await command(rest, io);
  } catch (error) {
    return reportError(io, error);
  }
}
