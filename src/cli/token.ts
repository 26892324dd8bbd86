import { parseArgs } from 'node:util';
import { createToken } from '../auth/create-token.ts';
import { listTokens } from '../auth/list-tokens.ts';
import { revokeToken } from '../auth/revoke-token.ts';
import { publicUrlOf } from '../config/config.ts';
import type { Store } from '../store/types.ts';
import { configFromFlags, requireExistingDatabase, withLocalStore } from './local-store.ts';
import { type CliIo, printFields, printJson } from './output.ts';

const USAGE = `usage: firebreak token create (--org SLUG | --user EMAIL) [--scopes a,b] [--kind user|org] [--name NAME] [--json]
       firebreak token list [--org SLUG] [--user EMAIL] [--json]
       firebreak token revoke ID|TOKEN|PREFIX
all take [--database URL]; create also [--public-url URL] for the URL inside an org token.`;

const OPTIONS = {
  org: { type: 'string' },
  user: { type: 'string' },
  scopes: { type: 'string' },
  kind: { type: 'string' },
  name: { type: 'string' },
  database: { type: 'string' },
  host: { type: 'string' },
  port: { type: 'string' },
  'public-url': { type: 'string' },
  json: { type: 'boolean', default: false },
} as const;

export async function tokenCommand(args: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'create' && sub !== 'list' && sub !== 'revoke') {
    io.err(USAGE);
    return 2;
  }
  const { values, positionals } = parseArgs({
    args: rest,
    options: OPTIONS,
    strict: true,
    allowPositionals: true,
  });
  if (sub === 'revoke' && positionals.length !== 1) {
    io.err(`firebreak token revoke: name one token (its id, the token, or its prefix)\n${USAGE}`);
    return 2;
  }
  const config = configFromFlags(values);
  requireExistingDatabase(config);
  return withLocalStore(config, async (store) => {
    if (sub === 'create') return await create(store, publicUrlOf(config), values, io);
    if (sub === 'list') return await list(store, values, io);
    const revoked = await revokeToken({ store, now: Date.now() }, positionals[0]);
    io.out(`revoked token ${revoked.id} (${revoked.tokenPrefix}, ${revoked.name})`);
    return 0;
  });
}

type Values = {
  [K in keyof typeof OPTIONS]?: (typeof OPTIONS)[K]['type'] extends 'boolean' ? boolean : string;
};

async function create(store: Store, publicUrl: string, values: Values, io: CliIo): Promise<number> {
  const created = await createToken(
    { store, now: Date.now(), publicUrl },
    { org: values.org, user: values.user, kind: values.kind, scopes: values.scopes, name: values.name },
  );
  if (values.json) {
    printJson(io, created);
    return 0;
  }
  printFields(io, [
    ['id', created.id],
    ['kind', created.kind],
    ['scopes', created.scopes.join(' ')],
    ...(created.org ? [['org', created.org] as [string, string]] : []),
    ...(created.user ? [['user', created.user] as [string, string]] : []),
    ['token', `${created.token}  (shown once; keep it secret)`],
  ]);
  return 0;
}

async function list(store: Store, values: Values, io: CliIo): Promise<number> {
  const tokens = await listTokens({ store }, { org: values.org, user: values.user });
  const rows = tokens.map((t) => ({
    id: String(t.id),
    kind: t.kind,
    prefix: t.tokenPrefix,
    name: t.name,
    scopes: t.scopes,
    created: new Date(t.createdAt).toISOString(),
    lastUsed: t.lastUsedAt === null ? null : new Date(t.lastUsedAt).toISOString(),
  }));
  if (values.json) printJson(io, rows);
  else
    for (const r of rows)
      io.out(
        `${r.id}\t${r.kind}\t${r.prefix}\t${r.name}\t${r.scopes.join(' ')}\t${r.lastUsed ?? 'never used'}`,
      );
  return 0;
}
