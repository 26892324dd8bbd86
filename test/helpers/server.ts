import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Clock } from '../../src/clock.ts';
import { loadConfig } from '../../src/config/config.ts';
import { type RunningServer, startServer } from '../../src/main.ts';
import { type SetupResult, setupProject } from '../../src/projects/setup-project.ts';

export interface TestServer {
  server: RunningServer;
  url: string;
  /** A fresh organisation + project + DSN + token made for this test. */
  setup(org?: string, project?: string): Promise<SetupResult>;
  close(): Promise<void>;
}

let counter = 0;

/** A real server on 127.0.0.1 with a random port, on a temp SQLite file unless a URL is given. */
export async function startTestServer(
  options: { databaseUrl?: string; clock?: Clock; settings?: Record<string, unknown> } = {},
): Promise<TestServer> {
  const dir = options.databaseUrl ? null : mkdtempSync(join(tmpdir(), 'firebreak-test-'));
  const databaseUrl = options.databaseUrl ?? `sqlite:${join(dir!, 'test.db')}`;
  const config = loadConfig(
    { host: '127.0.0.1', port: 0, databaseUrl, logLevel: 'silent', ...options.settings },
    {},
  );
  const server = await startServer(config, { clock: options.clock });
  return {
    server,
    url: server.url,
    setup: (org, project) => {
      counter++;
      return setupProject(
        { store: server.ctx.store, now: Date.now(), publicUrl: server.url },
        { org: org ?? `org-${process.pid}-${counter}`, project: project ?? `web${counter}` },
      );
    },
    close: async () => {
      await server.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** GET a Web API path with the token; returns status, headers and parsed JSON body. */
export async function apiGet(base: string, token: string, path: string) {
  const response = await fetch(`${base}${path}`, { headers: { Authorization: `Bearer ${token}` } });
  return { status: response.status, headers: response.headers, body: (await response.json()) as any };
}
