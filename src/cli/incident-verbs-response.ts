import { MITIGATION_TYPES } from '../incidents/mitigate.ts';
import {
  defined,
  incidentPath,
  isoTime,
  list,
  noExtraArgs,
  oneOf,
  positiveInt,
  str,
  UsageError,
  type Verb,
} from './incident-args.ts';
import { asArray, asObject, type Json, oneLine } from './incident-render.ts';
import { renderTriage, renderVerification } from './incident-report-view.ts';
import { renderTimeline } from './incident-view.ts';

/** Triage, mitigation and verification: the decision data and what was done about it. */

const triage: Verb = {
  usage: 'REF [--environment E]',
  summary:
    "the triage report: rates, users, blast radius and its recommendation, suspect deploy and commits (in one environment: --environment, else the mitigation's)",
  options: { environment: { type: 'string' } },
  plan: (input) => {
    noExtraArgs(input, 1);
    return {
      method: 'GET',
      path: incidentPath(input, 'triage'),
      query: defined({ environment: str(input.values, 'environment') }),
    };
  },
  render: (io, answer) => renderTriage(io, answer),
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
  // The mitigation is recorded either way; a script (or a playbook's "rollback failed → escalate")
  // must still see that a hook did not run: 6, as for anything unreachable.
  exitCode: (answer) => (asArray(asObject(answer).hooks).some((hook) => asObject(hook).ok !== true) ? 6 : 0),
};

/** `command hook for web: FAILED — exit 1: …` (the detail names the status; the reply, if shown, follows). */
function hookLine(result: Json): string {
  const outcome = result.ok === true ? 'ok' : 'FAILED';
  const text = [result.detail, result.excerpt].filter((part) => typeof part === 'string' && part).join(': ');
  const detail = text ? ` — ${oneLine(text, 300)}` : '';
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
      for (const hook of asArray(item.hooks).map(asObject)) io.out(`    ${hookLine(hook)}`);
    }
  },
};

const verify: Verb = {
  usage: 'REF [--dry-run]',
  summary:
    'compare the error rate since the mitigation with the pre-incident baseline; the verdict goes on the timeline (--dry-run: only show it)',
  options: { 'dry-run': { type: 'boolean' } },
  plan: (input) => {
    noExtraArgs(input, 1);
    return input.values['dry-run'] === true
      ? { method: 'GET', path: incidentPath(input, 'verification') }
      : { method: 'POST', path: incidentPath(input, 'verify') };
  },
  render: (io, answer) => renderVerification(io, answer),
};

/** 003's "similar past incidents": what an earlier incident shared with this one, and how it was fixed. */
const similar: Verb = {
  usage: 'REF [--limit N]',
  summary: 'earlier incidents like this one, highest score first, with their root cause and fix',
  options: { limit: { type: 'string' } },
  plan: (input) => {
    noExtraArgs(input, 1);
    const limit = positiveInt(input.values, 'limit');
    return {
      method: 'GET',
      path: incidentPath(input, 'similar'),
      query: { limit: limit === undefined ? undefined : String(limit) },
    };
  },
  render: (io, answer) => {
    const report = asObject(answer);
    const found = asArray(report.similar).map(asObject);
    if (found.length === 0)
      io.out(`no earlier incident is like this one (${oneLine(report.compared)} compared)`);
    for (const past of found) {
      io.out(
        `${oneLine(past.ref)}  score ${oneLine(past.score)}  ${oneLine(past.severity)}  ${oneLine(past.status)}  ${oneLine(past.title)}`,
      );
      for (const reason of asArray(past.reasons).map(asObject))
        io.out(`    because: ${oneLine(reason.detail)}`);
      if (past.rootCause) io.out(`    root cause: ${oneLine(past.rootCause, 300)}`);
      const fix = asObject(past.fix);
      for (const mitigation of asArray(fix.mitigations).map(asObject))
        io.out(`    fix: ${oneLine(mitigation.summary)}`);
      if (fix.resolutionOverride)
        io.out(`    resolved without a verified fix: ${oneLine(fix.resolutionOverride)}`);
    }
  },
};

/** 001's "rollback fails → ESCALATE — page humans", acknowledged or not. */
const page: Verb = {
  usage: 'REF --message TEXT [--level N | --target ID…]',
  summary: "page people now: a level of the severity's escalation policy (default the next) or given targets",
  options: {
    message: { type: 'string' },
    level: { type: 'string' },
    target: { type: 'string', multiple: true },
  },
  plan: (input) => {
    noExtraArgs(input, 1);
    const message = str(input.values, 'message');
    if (!message) throw new UsageError('say why: --message TEXT');
    const targets = list(input.values, 'target');
    const level = positiveInt(input.values, 'level');
    if (targets && level !== undefined) throw new UsageError('--level or --target, not both');
    return { method: 'POST', path: incidentPath(input, 'page'), body: defined({ message, level, targets }) };
  },
  render: (io, answer) => renderTimeline(io, [asObject(answer)]),
};

export const RESPONSE_VERBS: Record<string, Verb> = { triage, mitigate, mitigations, verify, similar, page };
