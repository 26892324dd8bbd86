import { parseArgs } from 'node:util';
import { publicUrlOf } from '../config/config.ts';
import { setupProject } from '../projects/setup-project.ts';
import { configFromFlags, withLocalStore } from './local-store.ts';
import { type CliIo, printFields, printJson } from './output.ts';

export async function setupCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      org: { type: 'string' },
      project: { type: 'string' },
      platform: { type: 'string' },
      database: { type: 'string' },
      host: { type: 'string' },
      port: { type: 'string' },
      'public-url': { type: 'string' },
      json: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (!values.org || !values.project) {
    io.err('firebreak setup: --org SLUG and --project SLUG are required');
    return 2;
  }
  const config = configFromFlags(values);
  return withLocalStore(config, async (store) => {
    const result = await setupProject(
      { store, now: Date.now(), publicUrl: publicUrlOf(config) },
      { org: values.org, project: values.project, platform: values.platform ?? null },
    );
    if (values.json) {
      printJson(io, result);
    } else {
      printFields(io, [
        ['org', `${result.org}${result.created.org ? ' (created)' : ''}`],
        [
          'project',
          `${result.project} (id ${result.projectId})${result.created.project ? ' (created)' : ''}`,
        ],
        ['dsn', result.dsn],
        ['token', `${result.token}  (shown once; keep it secret)`],
      ]);
    }
    return 0;
  });
}
