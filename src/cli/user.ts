import { createInterface } from 'node:readline/promises';
import { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { invalid } from '../app-error.ts';
import { addUserToOrg, createUser } from '../users/create-user.ts';
import { configFromFlags, requireExistingDatabase, withLocalStore } from './local-store.ts';
import { type CliIo, printFields, printJson } from './output.ts';

const USAGE = `usage: firebreak user create --email EMAIL --name NAME [--org SLUG [--role owner|admin|member]]
                             [--database URL] [--json]
       firebreak user add --email EMAIL --org SLUG [--role owner|admin|member] [--database URL] [--json]
The password is read from FIREBREAK_PASSWORD or stdin (never a flag: shell history keeps flags).
\`add\` puts an existing user into another organisation.`;

export async function userCommand(args: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'add') return addCommand(rest, io);
  if (sub !== 'create') {
    io.err(USAGE);
    return 2;
  }
  const { values } = parseArgs({
    args: rest,
    options: {
      email: { type: 'string' },
      name: { type: 'string' },
      org: { type: 'string' },
      role: { type: 'string' },
      database: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (!values.email || !values.name) {
    io.err(`firebreak user create: --email and --name are required\n${USAGE}`);
    return 2;
  }
  const config = configFromFlags({ database: values.database });
  requireExistingDatabase(config);
  const password = config.password ?? (await readPassword());
  return withLocalStore(config, async (store) => {
    const user = await createUser(
      { store, now: Date.now() },
      { email: values.email, name: values.name, password, org: values.org, role: values.role },
    );
    if (values.json) printJson(io, user);
    else if (user.org)
      printFields(io, [
        ['id', user.id],
        ['email', user.email],
        ['member of', `${user.org} (${user.role})`],
      ]);
    else io.out(user.id);
    return 0;
  });
}

async function addCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      email: { type: 'string' },
      org: { type: 'string' },
      role: { type: 'string' },
      database: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (!values.email || !values.org) {
    io.err(`firebreak user add: --email and --org are required\n${USAGE}`);
    return 2;
  }
  const config = configFromFlags({ database: values.database });
  requireExistingDatabase(config);
  return withLocalStore(config, async (store) => {
    const user = await addUserToOrg(
      { store, now: Date.now() },
      { email: values.email, org: values.org, role: values.role },
    );
    if (values.json) printJson(io, user);
    else
      printFields(io, [
        ['id', user.id],
        ['email', user.email],
        ['member of', `${user.org} (${user.role})`],
      ]);
    return 0;
  });
}

/** Without FIREBREAK_PASSWORD (config.password): from the terminal, or piped on stdin. */
async function readPassword(): Promise<string> {
  if (process.stdin.isTTY) return promptHidden('password: ');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const password = Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
  if (password === '') throw invalid('no password: set FIREBREAK_PASSWORD or pipe it on stdin');
  return password;
}

/** Reads a line from the terminal without echoing it. */
async function promptHidden(prompt: string): Promise<string> {
  process.stderr.write(prompt);
  const silent = new Writable({ write: (_chunk, _encoding, done) => done() });
  const rl = createInterface({ input: process.stdin, output: silent, terminal: true });
  try {
    return await rl.question('');
  } finally {
    rl.close();
    process.stderr.write('\n');
  }
}
