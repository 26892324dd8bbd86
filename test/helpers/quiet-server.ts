import type { manualClock } from '../../src/clock.ts';
import { createPostgresTestDatabase } from '../../src/store/test-databases.ts';
import { startTestServer, type TestServer } from './server.ts';

/** Background work off: tests evaluate, send and escalate by calling the tickers' passes themselves. */
const QUIET = {
  notifyTickSeconds: 0,
  escalationTickSeconds: 0,
  incidentTickSeconds: 0,
  detectorTickSeconds: 0,
};

/** A test server (SQLite file or fresh PostgreSQL database) with an injected clock and no background tickers. */
export async function startQuietServer(
  backend: 'sqlite' | 'postgres',
  clock: ReturnType<typeof manualClock>,
  settings: Record<string, unknown> = {},
): Promise<TestServer> {
  if (backend === 'sqlite') return startTestServer({ clock, settings: { ...QUIET, ...settings } });
  const database = await createPostgresTestDatabase();
  const server = await startTestServer({
    clock,
    databaseUrl: database.url,
    settings: { ...QUIET, ...settings },
  });
  return {
    ...server,
    close: async () => {
      await server.close();
      await database.cleanup();
    },
  };
}
