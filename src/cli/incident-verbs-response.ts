import {
  defined,
  incidentPath,
  isoTime,
  noExtraArgs,
  oneOf,
  str,
  UsageError,
  type Verb,
} from './incident-args.ts';
import { asArray, asObject, fields, inline, isObject, type Json, oneLine, tree } from './incident-render.ts';
import { renderTimeline } from './incident-view.ts';

/** Triage, mitigation and verification: the decision data and what was done about it. */

const MITIGATION_TYPES = [
  'rollback',
  'hotfix',
  'feature_flag',
  'config_change',
  'scale_up',
  'other',
] as const;

const triage: Verb = {
  usage: 'REF',
  summary: 'the triage report: rates, users, blast radius and its recommendation, suspect deploy and commits',
  options: {},
  plan: (input) => {
    noExtraArgs(input, 1);
    return { method: 'GET', path: incidentPath(input, 'triage') };
  },
  render: (io, answer) => {
    const report = asObject(answer);
    const blast = asObject(report.blastRadius);
    // The decision first: it is what the on-call engineer acts on.
    const rows: [string, string][] = [
      ['blast radius', oneLine(blast.class)],
      ['recommendation', oneLine(blast.recommendation)],
    ];
    if (report.windowMinutes !== undefined)
      rows.push(['window', `last ${oneLine(report.windowMinutes)} min`]);
    fields(io, rows);
    const rest = { ...report };
    delete rest.windowMinutes;
    const blastRest = { ...blast };
    delete blastRest.class;
    delete blastRest.recommendation;
    rest.blastRadius = blastRest;
    tree(io, rest);
  },
};

const mitigate: Verb = {
  usage: `REF --type ${MITIGATION_TYPES.join('|')} [--release R] [--environment E] [--owner O] [--description D] [--project P] [--at ISO] [--no-hooks]`,
  summary:
    "record a mitigation (rollback to R, hotfix R, …) and call the affected projects' hooks (--no-hooks: done by hand)",
  options: {
    type: { type: 'string' },
    release: { type: 'string' },
    environment: { type: 'string' },
    owner: { type: 'string' },
    description: { type: 'string' },
    project: { type: 'string' },
    at: { type: 'string' },
    'no-hooks': { type: 'boolean' },
  },
  plan: (input) => {
    noExtraArgs(input, 1);
    const type = oneOf(input.values, 'type', MITIGATION_TYPES);
    if (type === undefined) throw new UsageError(`--type is required (${MITIGATION_TYPES.join(', ')})`);
    if ((type === 'rollback' || type === 'hotfix') && str(input.values, 'release') === undefined) {
      throw new UsageError(`a ${type} names its release: --release R`);
    }
    return {
      method: 'POST',
      path: incidentPath(input, 'mitigations'),
      body: defined({
        type,
        release: str(input.values, 'release'),
        environment: str(input.values, 'environment'),
        owner: str(input.values, 'owner'),
        description: str(input.values, 'description'),
        project: str(input.values, 'project'),
        occurredAt: isoTime(input.values, 'at'),
        runHooks: input.values['no-hooks'] === true ? false : undefined,
      }),
    };
  },
  render: (io, answer) => {
    const result = asObject(answer);
    renderTimeline(io, [asObject(result.entry)]);
    const hooks = asArray(result.hooks).map(asObject);
    for (const hook of hooks) io.out(hookLine(hook));
  },
};

/** `command hook for web: FAILED — exit 1: …` (the detail already names the status). */
function hookLine(result: Json): string {
  const outcome = result.ok === true ? 'ok' : 'FAILED';
  const detail = result.detail ? ` — ${oneLine(result.detail, 300)}` : '';
  return `${oneLine(result.hook ?? 'hook')} hook for ${oneLine(result.project)}: ${outcome}${detail}`;
}

const mitigations: Verb = {
  usage: 'REF',
  summary: 'the mitigations recorded so far, with their hook results',
  options: {},
  plan: (input) => {
    noExtraArgs(input, 1);
    return { method: 'GET', path: incidentPath(input, 'mitigations') };
  },
  render: (io, answer) => {
    const items = asArray(answer).map(asObject);
    if (items.length === 0) io.out('no mitigations recorded');
    for (const item of items) {
      renderTimeline(io, [item]);
      // Each mitigation carries its hook_result entries; their data is the hook result.
      for (const hook of asArray(item.hooks).map(asObject))
        io.out(`    ${hookLine({ ...asObject(hook.data) })}`);
    }
  },
};

const VERIFY_NUMBERS: [string, string][] = [
  ['baselinePerMinute', 'baseline /min'],
  ['duringPerMinute', 'during /min'],
  ['afterPerMinute', 'after /min'],
  ['holdMinutes', 'hold (min)'],
];

const verify: Verb = {
  usage: 'REF',
  summary: 'compare the error rate since the mitigation with the pre-incident baseline',
  options: {},
  plan: (input) => {
    noExtraArgs(input, 1);
    return { method: 'POST', path: incidentPath(input, 'verify') };
  },
  render: (io, answer) => {
    const result: Json = asObject(answer);
    const rows: [string, string][] = [['verdict', oneLine(result.verdict)]];
    for (const [key, label] of VERIFY_NUMBERS) rows.push([label, inline(result[key])]);
    const shown = new Set(['verdict', ...VERIFY_NUMBERS.map(([k]) => k)]);
    const nested: Json = {};
    for (const [key, value] of Object.entries(result)) {
      if (shown.has(key) || value === null || value === undefined) continue;
      if (isObject(value) || Array.isArray(value)) nested[key] = value;
      else rows.push([key, inline(value)]);
    }
    fields(io, rows);
    if (Object.keys(nested).length > 0) tree(io, nested);
  },
};

export const RESPONSE_VERBS: Record<string, Verb> = { triage, mitigate, mitigations, verify };
