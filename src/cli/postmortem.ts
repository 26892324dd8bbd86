import { readFileSync } from 'node:fs';
import { NARRATIVE_FIELDS } from '../postmortems/narrative.ts';
import { type Connected, connect, DEFAULT_URL, type Env } from './connect.ts';
import { incidentPath, noExtraArgs, oneOf, str, UsageError, type VerbInput } from './incident-args.ts';
import { type CliIo, printJson, reportError } from './output.ts';
import { renderPostmortem } from './postmortem-render.ts';
import { isPlanningError } from './rest-command.ts';

const FIELDS: readonly string[] = [...NARRATIVE_FIELDS, 'whyNotCaughtEarlier'];

export function postmortemUsage(): string {
  return [
    'usage: firebreak postmortem REF [--generate] [--set FIELD=TEXT]… [--edit FIELD --from-file F|-]',
    '                            [--chart embed|link|none] [--json] [--url URL] [--org SLUG]',
    '',
    "Prints the incident's post-mortem (a Markdown ADR, ADR-0001 …) with its reconciliation block,",
    'impact, timeline, error-rate chart and action items.',
    '  --generate   generate it from the incident’s data (the first time allocates its ADR number;',
    '               again later refreshes the data and keeps what people wrote)',
    '  --set F=T    set a narrative field (F= clears it back to its default); repeatable',
    '  --edit F --from-file PATH   set a field from a file (- reads standard input)',
    '  --chart      the chart in the Markdown: embed (data: URI, default), link, none',
    '  --json       the API answer instead of the Markdown',
    `Fields: ${FIELDS.slice(0, 5).join(', ')},`,
    `        ${FIELDS.slice(5).join(', ')} (kebab-case works too: root-cause).`,
    `--url (or FIREBREAK_URL, default ${DEFAULT_URL}), --org (or FIREBREAK_ORG) and FIREBREAK_TOKEN as`,
    'for `firebreak incident`. Close the incident afterwards: firebreak incident status REF closed.',
  ].join('\n');
}

const camel = (name: string) => name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

function fieldName(given: string): string {
  const name = camel(given.trim());
  if (!FIELDS.includes(name)) throw new UsageError(`unknown field "${given}" (${FIELDS.join(', ')})`);
  return name;
}

/** The narrative fields the arguments set: `--set f=text` and `--edit f --from-file path`. */
export function narrativeEdits(
  input: VerbInput,
  readFile: (path: string) => string,
): Record<string, string | null> {
  const fields: Record<string, string | null> = {};
  for (const pair of (input.values.set as string[] | undefined) ?? []) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`--set needs FIELD=TEXT, not "${pair}"`);
    const text = pair.slice(eq + 1);
    fields[fieldName(pair.slice(0, eq))] = text.trim() === '' ? null : text;
  }
  const edit = str(input.values, 'edit');
  const file = str(input.values, 'from-file');
  if ((edit === undefined) !== (file === undefined))
    throw new UsageError('--edit FIELD and --from-file PATH go together');
  if (edit !== undefined && file !== undefined) fields[fieldName(edit)] = readFile(file);
  return fields;
}

function readText(path: string): string {
  try {
    return readFileSync(path === '-' ? 0 : path, 'utf8');
  } catch (error) {
    throw new UsageError(
      `cannot read --from-file ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
}

/** `firebreak postmortem REF …`: reads, generates or edits the post-mortem over the REST API. */
export async function postmortemCommand(args: string[], io: CliIo, env: Env = process.env): Promise<number> {
  if (args.length === 0 || args.includes('--help') || args.includes('-h') || args[0] === 'help') {
    io.out(postmortemUsage());
    return args.length === 0 ? 2 : 0;
  }
  let call: Connected;
  let fields: Record<string, string | null>;
  let path: string;
  try {
    call = connect(
      args,
      {
        generate: { type: 'boolean' },
        set: { type: 'string', multiple: true },
        edit: { type: 'string' },
        'from-file': { type: 'string' },
        chart: { type: 'string' },
      },
      env,
    );
    noExtraArgs(call, 1);
    path = incidentPath(call, 'postmortem');
    fields = narrativeEdits(call, readText);
    oneOf(call.values, 'chart', ['embed', 'link', 'none']);
  } catch (error) {
    if (!isPlanningError(error)) return reportError(io, error);
    io.err(`firebreak postmortem: ${(error as Error).message}\n\n${postmortemUsage()}`);
    return 2;
  }
  const { values, json, client } = call;
  const query = json ? undefined : { include: 'markdown', chart: str(values, 'chart') ?? 'embed' };
  const editing = Object.keys(fields).length > 0;
  try {
    let answer: unknown;
    if (values.generate === true) {
      answer = await client.request({ method: 'POST', path, query: editing ? undefined : query });
    }
    if (editing) answer = await client.request({ method: 'PUT', path, query, body: fields });
    if (answer === undefined) answer = await client.request({ method: 'GET', path, query });
    if (json) printJson(io, answer);
    else renderPostmortem(io, answer);
    return 0;
  } catch (error) {
    return reportError(io, error);
  }
}
