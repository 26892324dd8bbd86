import { parseArgs } from 'node:util';
import { createCheckContext } from '../checks/context.ts';
import { type CheckFlags, checkOptionsFrom, type Env } from '../checks/options.ts';
import { redactOutput, renderJson, renderText } from '../checks/render.ts';
import { runChecks } from '../checks/run-checks.ts';
import { CHECK_OUTPUT_JSON_SCHEMA } from '../checks/schemas.ts';
import type { CliIo } from './output.ts';

const USAGE = `usage: firebreak check --mode MODE [options]
modes: setup-preflight | local-smoke | prod-health | release-gate | issue-triage | verify-loop | all
  --url URL                 Web API of Firebreak or Sentry (default: SENTRY_URL, an org token's URL, https://sentry.io)
  --org SLUG, --project SLUG   (default: SENTRY_ORG / SENTRY_PROJECT, else discovered)
  --repo-root PATH          the repository setup-preflight and release-gate read (default: .)
  --release VERSION         the release release-gate checks (default: SENTRY_RELEASE)
  --state-file PATH         verify-loop's checkpoint (default: ~/.local/state/firebreak/checks/…)
  --send-test-event         local-smoke sends one event through SENTRY_DSN and reads it back
  --strict-network, --require-host-network   an unreachable API is FAIL, not PARTIAL
  --auto-slug-discovery / --no-auto-slug-discovery
  --json                    one JSON object (--json-schema prints its schema)
The token comes from FIREBREAK_TOKEN or SENTRY_AUTH_TOKEN, the DSN from SENTRY_DSN: never from flags.
Exit code: 0 PASS or PARTIAL, 1 FAIL, 2 usage. See docs/checks.md.`;

const OPTIONS = {
  mode: { type: 'string' },
  url: { type: 'string' },
  org: { type: 'string' },
  project: { type: 'string' },
  'repo-root': { type: 'string' },
  'state-file': { type: 'string' },
  release: { type: 'string' },
  json: { type: 'boolean' },
  'json-schema': { type: 'boolean' },
  'require-host-network': { type: 'boolean' },
  'strict-network': { type: 'boolean' },
  'auto-slug-discovery': { type: 'boolean' },
  'no-auto-slug-discovery': { type: 'boolean' },
  'send-test-event': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Flags that would put a secret into shell history are refused with a pointer to the variable. */
const SECRET_FLAGS: Record<string, string> = {
  '--token': 'FIREBREAK_TOKEN or SENTRY_AUTH_TOKEN',
  '--auth-token': 'FIREBREAK_TOKEN or SENTRY_AUTH_TOKEN',
  '--dsn': 'SENTRY_DSN',
};

/** `firebreak check`: the monitoring playbook's checks (docs/checks.md). */
export async function checkCommand(
  args: string[],
  io: CliIo,
  env: Env = process.env,
  cwd: string = process.cwd(),
): Promise<number> {
  const secretFlag = args.map((a) => a.split('=')[0]).find((a) => a in SECRET_FLAGS);
  if (secretFlag) {
    io.err(
      `firebreak check: ${secretFlag} is not accepted (shell history keeps it); set ${SECRET_FLAGS[secretFlag]}`,
    );
    return 2;
  }
  const { values } = parseArgs({ args, options: OPTIONS, strict: true, allowPositionals: false });
  if (values.help) {
    io.out(USAGE);
    return 0;
  }
  if (values['json-schema']) {
    io.out(JSON.stringify(CHECK_OUTPUT_JSON_SCHEMA, null, 2));
    return 0;
  }
  const options = checkOptionsFrom(values as CheckFlags, env, cwd);
  const output = await runChecks(createCheckContext(options));
  const rendered = options.json ? renderJson(output) : renderText(output);
  io.out(redactOutput(rendered, options));
  return output.status === 'FAIL' ? 1 : 0;
}
