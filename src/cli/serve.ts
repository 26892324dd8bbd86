import { parseArgs } from 'node:util';
import { startServer } from '../main.ts';
import { configFromFlags } from './local-store.ts';
import type { CliIo } from './output.ts';

export async function serveCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      host: { type: 'string' },
      port: { type: 'string' },
      database: { type: 'string' },
      'public-url': { type: 'string' },
    },
    strict: true,
  });
  const config = configFromFlags(values);
  const server = await startServer(config);
  io.err(`firebreak listening on ${server.url} (database: ${describeDatabase(config.databaseUrl)})`);
  return new Promise((resolve) => {
    const stop = async (signal: string) => {
      io.err(`firebreak: ${signal} received, finishing in-flight work`);
      await server.close();
      resolve(0);
    };
    process.once('SIGTERM', () => void stop('SIGTERM'));
    process.once('SIGINT', () => void stop('SIGINT'));
  });
}

/**
 * The database URL without credentials, for logs: everything before the last `@` of the
 * authority goes, so a password holding an unencoded `@` (which the driver accepts) is not
 * half printed.
 */
export function describeDatabase(url: string): string {
  return url.replace(/\/\/[^/]*@/, '//***@');
}
