import { readFile } from 'node:fs/promises';
import { AppError } from '../app-error.ts';
import { type Connected, connect, type Env, TARGET_HELP } from './connect.ts';
import { defined, list, orgPath, parseRef, str, UsageError } from './incident-args.ts';
import { type CliIo, printDocument, printJson } from './output.ts';
import { runCommand } from './rest-command.ts';
import { renderRunbook, renderRunbookList, renderSuggestions } from './runbook-view.ts';

const USAGE = `usage: firebreak runbook <verb> [arguments] [--url URL] [--org SLUG] [--json]
  list     [--project SLUG] [--tag KEY:VALUE]        the organisation's runbooks
  add      --title T (--project SLUG | --tag KEY:VALUE)… [--file PATH]
           the Markdown comes from --file, else from stdin
  show     ID [--raw]                                 the runbook; --raw prints only its Markdown
  edit     ID [--title T] [--project SLUG]… [--tag KEY:VALUE]… [--file PATH]
           lists replace the old ones; --file (or stdin with --stdin) replaces the Markdown
  delete   ID
  suggest  REF                                        the runbooks for incident REF (INC-7)
Runbooks are Markdown attached to projects or tag values (service:api); they are suggested on
every incident that involves one, and shown on its timeline when it is declared. Reading needs
incident:read or project:read, writing incident:write or project:write.
${TARGET_HELP}`;

const OPTIONS = {
  title: { type: 'string' },
  project: { type: 'string', multiple: true },
  tag: { type: 'string', multiple: true },
  file: { type: 'string' },
  stdin: { type: 'boolean' },
  raw: { type: 'boolean' },
} as const;

export type ReadStdin = () => Promise<string | null>;

/** All of stdin when it is piped; null when it is a terminal (nobody is typing Markdown there). */
export const readProcessStdin: ReadStdin = async () => {
  if (process.stdin.isTTY) return null;
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
};

async function markdownOf(c: Connected, stdin: ReadStdin, required: boolean): Promise<string | undefined> {
  const file = str(c.values, 'file');
  if (file) {
    try {
      return await readFile(file, 'utf8');
    } catch (error) {
      throw new AppError(
        'VALIDATION',
        `cannot read --file ${file}: ${(error as NodeJS.ErrnoException).code ?? error}`,
      );
    }
  }
  if (!required && c.values.stdin !== true) return undefined;
  const text = await stdin();
  if (text === null || text.trim() === '')
    throw new UsageError('give the Markdown with --file PATH or on stdin');
  return text;
}

const idOf = (c: Connected): string => {
  const id = c.positionals[1];
  if (!id || !/^\d{1,15}$/.test(id))
    throw new UsageError(id ? `"${id}" is not a runbook id` : 'name the runbook (its id)');
  return id;
};

export async function runbookCommand(
  args: string[],
  io: CliIo,
  env: Env = process.env,
  stdin: ReadStdin = readProcessStdin,
): Promise<number> {
  const verb = args[0];
  if (!verb || ['--help', '-h', 'help'].includes(verb) || args.includes('--help') || args.includes('-h')) {
    io.out(USAGE);
    return verb ? 0 : 2;
  }
  return runCommand(io, `runbook ${verb}`, USAGE, async () => {
    const c = connect(args, OPTIONS, env);
    const base = orgPath(c.org, 'runbooks');
    const show = (answer: unknown, render: (io: CliIo, answer: unknown) => void) =>
      c.json ? printJson(io, answer) : render(io, answer);
    if (verb === 'list') {
      const [tag] = list(c.values, 'tag') ?? [];
      const [project] = list(c.values, 'project') ?? [];
      show(
        await c.client.request({ method: 'GET', path: base, query: { project, tag, per_page: '100' } }),
        renderRunbookList,
      );
    } else if (verb === 'add') {
      const title = str(c.values, 'title');
      if (!title) throw new UsageError('give the runbook a --title');
      const body = {
        title,
        body: await markdownOf(c, stdin, true),
        projects: list(c.values, 'project') ?? [],
        tags: list(c.values, 'tag') ?? [],
      };
      show(await c.client.request({ method: 'POST', path: base, body }), renderRunbook);
    } else if (verb === 'show') {
      const answer = await c.client.request<{ body?: unknown }>({
        method: 'GET',
        path: `${base}${idOf(c)}/`,
      });
      if (c.values.raw === true && !c.json) printDocument(io, String(answer.body ?? '').replace(/\n$/, ''));
      else show(answer, renderRunbook);
    } else if (verb === 'edit') {
      const body = defined({
        title: str(c.values, 'title'),
        body: await markdownOf(c, stdin, false),
        projects: list(c.values, 'project'),
        tags: list(c.values, 'tag'),
      });
      if (Object.keys(body).length === 0)
        throw new UsageError('nothing to change: give --title, --project, --tag or --file');
      show(await c.client.request({ method: 'PUT', path: `${base}${idOf(c)}/`, body }), renderRunbook);
    } else if (verb === 'delete') {
      const id = idOf(c);
      await c.client.request({ method: 'DELETE', path: `${base}${id}/` });
      if (!c.json) io.out(`deleted runbook ${id}`);
    } else if (verb === 'suggest') {
      const path = orgPath(c.org, 'incidents', parseRef(c.positionals[1]), 'runbooks');
      show(await c.client.request({ method: 'GET', path }), renderSuggestions);
    } else {
      throw new UsageError(`unknown verb "${verb}"`);
    }
    return 0;
  });
}
