import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { generateUserToken, hashToken, tokenPrefix } from '../../src/auth/tokens.ts';
import type { Clock } from '../../src/clock.ts';
import type { SetupResult } from '../../src/projects/setup-project.ts';
import { createPostgresTestDatabase } from '../../src/store/test-databases.ts';
import type { OrgRole } from '../../src/store/types-accounts.ts';
import { startTestServer, type TestServer } from './server.ts';

/** Sends one event through the real envelope endpoint; returns its id once committed. */
export async function sendEvent(
  t: TestServer,
  setup: SetupResult,
  event: Record<string, unknown>,
): Promise<string> {
  const url = `${t.url}/api/${setup.projectId}/envelope/?sentry_key=${new URL(setup.dsn).username}`;
  const response = await fetch(url, {
    method: 'POST',
    body: `{}\n{"type":"event"}\n${JSON.stringify(event)}`,
  });
  assert.equal(response.status, 200, await response.clone().text());
  return ((await response.json()) as { id: string }).id;
}

export interface ApiAnswer {
  status: number;
  headers: Headers;
  body: any;
}

/** A Web API client with one token: JSON in, JSON (or nothing) out. */
export function apiClient(base: string, token: string) {
  const call = async (method: string, path: string, body?: unknown): Promise<ApiAnswer> => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null };
  };
  return {
    get: (path: string) => call('GET', path),
    put: (path: string, body: unknown) => call('PUT', path, body),
    post: (path: string, body: unknown) => call('POST', path, body),
    delete: (path: string) => call('DELETE', path),
  };
}

/** Titles of a list answer, sorted, for set comparisons. */
export function titles(answer: ApiAnswer): string[] {
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
  return answer.body.map((issue: { title: string }) => issue.title).sort();
}

/** Mints an API token straight in the store: narrow scopes, or a user's own token. */
export async function mintToken(
  t: TestServer,
  input: { org: string; scopes: string[]; userId?: number },
): Promise<string> {
  const token = generateUserToken();
  const org = await t.server.ctx.store.orgs.getBySlug(input.org);
  await t.server.ctx.store.tokens.create({
    kind: 'user',
    orgId: input.userId ? null : org!.id,
    userId: input.userId ?? null,
    name: 'test',
    scopes: input.scopes,
    tokenHash: hashToken(token),
    tokenPrefix: tokenPrefix(token),
    createdAt: Date.now(),
  });
  return token;
}

/** A user who is a member of the organisation (the accounts store), with a token of their own. */
export async function memberWithToken(t: TestServer, orgSlug: string, name: string, role: OrgRole = 'admin') {
  const store = t.server.ctx.store;
  const org = await store.orgs.getBySlug(orgSlug);
  const email = `${name.toLowerCase()}-${randomBytes(3).toString('hex')}@example.com`;
  const user = await store.users.create({
    email,
    name,
    passwordHash: null,
    now: Date.now(),
    membership: { orgId: org!.id, role },
  });
  const token = await mintToken(t, {
    org: orgSlug,
    scopes: ['event:read', 'event:write', 'event:admin', 'org:read'],
    userId: user.id,
  });
  return { user, token };
}

/** A test server on a temp SQLite file or on a fresh PostgreSQL database (dropped on close). */
export async function startServerOn(
  backend: 'sqlite' | 'postgres',
  options: { clock?: Clock } = {},
): Promise<TestServer> {
  if (backend === 'sqlite') return startTestServer(options);
  const database = await createPostgresTestDatabase();
  const server = await startTestServer({ ...options, databaseUrl: database.url });
  return {
    ...server,
    close: async () => {
      await server.close();
      await database.cleanup();
    },
  };
}
