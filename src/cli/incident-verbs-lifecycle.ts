import { INCIDENT_STATUSES } from '../store/types-incidents.ts';
import type { ApiRequest } from './api-client.ts';
import {
  arg,
  clearable,
  defined,
  incidentPath,
  incidentStatus,
  isoTime,
  list,
  noExtraArgs,
  orgPath,
  positiveInt,
  restText,
  str,
  UsageError,
  type Verb,
  type VerbInput,
} from './incident-args.ts';
import { asObject } from './incident-render.ts';
import {
  incidentLine,
  renderIncident,
  renderIncidentList,
  renderIssues,
  renderRoles,
} from './incident-view.ts';

/** Declaring, reading and changing the incident itself: each verb is one REST request. */

const printLine: Verb['render'] = (io, answer) => io.out(incidentLine(asObject(answer)));

const status = incidentStatus;

const list_: Verb = {
  usage: '[--status open|resolved|all|triage,investigating,…] [--limit N] [--cursor C]',
  summary: 'incidents, newest first (all statuses unless --status); OVERDUE: a response or update is late',
  options: { status: { type: 'string' }, limit: { type: 'string' }, cursor: { type: 'string' } },
  plan: (input) => {
    noExtraArgs(input, 0);
    const wanted = str(input.values, 'status');
    if (wanted !== 'open' && wanted !== 'all') {
      for (const s of wanted?.split(',') ?? []) {
        if (!(INCIDENT_STATUSES as readonly string[]).includes(s.trim())) {
          throw new UsageError(
            `--status must be open, all, or a list of ${INCIDENT_STATUSES.join(', ')}; not "${s.trim()}"`,
          );
        }
      }
    }
    const limit = positiveInt(input.values, 'limit');
    if (limit !== undefined && limit > 100)
      throw new UsageError('--limit is at most 100 (page with --cursor)');
    return {
      method: 'GET',
      path: orgPath(input.org, 'incidents'),
      query: defined({ status: wanted, per_page: limit?.toString(), cursor: str(input.values, 'cursor') }),
    };
  },
  render: (io, answer, _input, page) => {
    renderIncidentList(io, answer);
    if (page.nextCursor) io.out(`(more: add --cursor ${page.nextCursor})`);
  },
};

const declare: Verb = {
  usage:
    '[TITLE…] [--title T] [--severity P1] [--issue WEB-12]… [--service S]… [--ticket URL] [--channel URL] [--detected-at ISO] [--source S] [--status S]',
  summary: 'declare an incident, by hand or from issues (their titles name it when --title is not given)',
  options: {
    title: { type: 'string' },
    severity: { type: 'string' },
    issue: { type: 'string', multiple: true },
    service: { type: 'string', multiple: true },
    ticket: { type: 'string' },
    channel: { type: 'string' },
    'detected-at': { type: 'string' },
    source: { type: 'string' },
    status: { type: 'string' },
  },
  plan: (input) => {
    const positionalTitle = restText(input, 0);
    if (positionalTitle !== undefined && str(input.values, 'title') !== undefined) {
      throw new UsageError('give the title either as arguments or with --title, not both');
    }
    const wanted = str(input.values, 'status');
    if (wanted === 'resolved' || wanted === 'closed') {
      throw new UsageError(`an incident cannot be declared ${wanted}`);
    }
    return {
      method: 'POST',
      path: orgPath(input.org, 'incidents'),
      body: defined({
        title: str(input.values, 'title') ?? positionalTitle,
        severity: str(input.values, 'severity'),
        issues: list(input.values, 'issue'),
        services: list(input.values, 'service'),
        ticketUrl: str(input.values, 'ticket'),
        channelUrl: str(input.values, 'channel'),
        detectedAt: isoTime(input.values, 'detected-at'),
        detectionSource: str(input.values, 'source'),
        status: wanted === undefined ? undefined : status(wanted, '--status'),
      }),
    };
  },
  render: printLine,
};

const show: Verb = {
  usage: 'REF',
  summary: 'everything about one incident: status, milestones, durations, roles, issues, updates',
  options: {},
  plan: (input) => {
    noExtraArgs(input, 1);
    return { method: 'GET', path: incidentPath(input) };
  },
  render: (io, answer) => renderIncident(io, asObject(answer)),
};

const update: Verb = {
  usage:
    "REF [--title T] [--severity S] [--service S]… [--ticket URL] [--channel URL] [--root-cause T] [--detected-at ISO] [--source S] [--if-version N]   ('' clears a link or the root cause)",
  summary:
    'change fields (a severity change goes on the timeline); --if-version refuses if someone changed it first',
  options: {
    title: { type: 'string' },
    severity: { type: 'string' },
    service: { type: 'string', multiple: true },
    ticket: { type: 'string' },
    channel: { type: 'string' },
    'root-cause': { type: 'string' },
    'detected-at': { type: 'string' },
    source: { type: 'string' },
    'if-version': { type: 'string' },
  },
  plan: (input) => {
    noExtraArgs(input, 1);
    const v = input.values;
    const body = defined({
      title: str(v, 'title'),
      severity: str(v, 'severity'),
      services: list(v, 'service'),
      ticketUrl: clearable(v, 'ticket'),
      channelUrl: clearable(v, 'channel'),
      rootCause: clearable(v, 'root-cause'),
      detectedAt: isoTime(v, 'detected-at'),
      detectionSource: str(v, 'source'),
    });
    if (Object.keys(body).length === 0) throw new UsageError('nothing to change: give at least one field');
    const expectedVersion = positiveInt(v, 'if-version');
    return { method: 'PUT', path: incidentPath(input), body: defined({ ...body, expectedVersion }) };
  },
  render: printLine,
};

const statusVerb: Verb = {
  usage: `REF ${INCIDENT_STATUSES.join('|')} [--from EXPECTED] [--root-cause T] [--override REASON]`,
  summary:
    'move the incident; --from makes it conditional (409 if it moved meanwhile); resolved = resolve; closed = close (needs the post-mortem)',
  options: { from: { type: 'string' }, 'root-cause': { type: 'string' }, override: { type: 'string' } },
  plan: (input) => {
    noExtraArgs(input, 2);
    const next = status(arg(input, 1, 'the new status'), 'the new status');
    const from = str(input.values, 'from');
    const expectedStatus = from === undefined ? undefined : status(from, '--from');
    if (next === 'resolved') {
      // Resolving has its own rules (root cause, verification or override), so it is its own request.
      if (from !== undefined) throw new UsageError('--from does not apply to resolved');
      return planResolve(input);
    }
    if (next === 'closed') {
      // Closing needs a resolved incident and its post-mortem: its own request, as resolving is.
      if (from !== undefined) throw new UsageError('--from does not apply to closed');
      if (str(input.values, 'root-cause') !== undefined || str(input.values, 'override') !== undefined) {
        throw new UsageError('--root-cause and --override apply only to resolved');
      }
      return { method: 'POST', path: incidentPath(input, 'close') };
    }
    if (str(input.values, 'root-cause') !== undefined || str(input.values, 'override') !== undefined) {
      throw new UsageError('--root-cause and --override apply only to resolved (use update --root-cause)');
    }
    return { method: 'PUT', path: incidentPath(input), body: defined({ status: next, expectedStatus }) };
  },
  render: printLine,
};

const ack: Verb = {
  usage: 'REF',
  summary: 'acknowledge: someone is on it (stops the response clock)',
  options: {},
  plan: (input) => {
    noExtraArgs(input, 1);
    return { method: 'POST', path: incidentPath(input, 'acknowledge') };
  },
  render: printLine,
};

const role: Verb = {
  usage: 'REF ROLE (USER|--clear)   ROLE: commander, ops_lead, comms_lead, scribe, …; USER: email, id or me',
  summary: 'give a role to someone (one holder each) or clear it',
  options: { clear: { type: 'boolean' } },
  plan: (input) => {
    // Role keys are snake_case; `ops-lead` is what people type.
    const key = arg(input, 1, 'the role (commander, ops_lead, comms_lead, scribe, …)').replaceAll('-', '_');
    if (input.values.clear === true) {
      noExtraArgs(input, 2);
      return { method: 'DELETE', path: incidentPath(input, 'roles', key) };
    }
    const user = arg(input, 2, 'the user (email, id or me), or --clear');
    noExtraArgs(input, 3);
    return { method: 'PUT', path: incidentPath(input, 'roles', key), body: { user } };
  },
  render: (io, answer, input) => {
    if (answer && typeof answer === 'object') renderRoles(io, asObject(answer));
    else io.out(`cleared ${input.positionals[1]}`);
  },
};

const link: Verb = {
  usage: 'REF ISSUE…   (short ids like WEB-12, or issue ids; any project of the organisation)',
  summary: 'link issues to the incident',
  options: {},
  plan: (input) => {
    const issues = list({ issue: input.positionals.slice(1) }, 'issue') ?? [];
    if (issues.length === 0) throw new UsageError('name at least one issue (WEB-12 or its id)');
    return { method: 'POST', path: incidentPath(input, 'issues'), body: { issues } };
  },
  render: (io, answer) => renderIssues(io, asObject(answer)),
};

const unlink: Verb = {
  usage: 'REF ISSUE',
  summary: 'unlink one issue from the incident',
  options: {},
  plan: (input) => {
    const issue = arg(input, 1, 'the issue to unlink (WEB-12 or its id)');
    noExtraArgs(input, 2);
    return { method: 'DELETE', path: incidentPath(input, 'issues', issue) };
  },
  render: (io, answer, input) => {
    if (answer && typeof answer === 'object') renderIssues(io, asObject(answer));
    else io.out(`unlinked ${input.positionals[1]}`);
  },
};

function planResolve(input: VerbInput): ApiRequest {
  const override = str(input.values, 'override');
  if (override !== undefined && override.trim() === '') throw new UsageError('--override needs a reason');
  return {
    method: 'POST',
    path: incidentPath(input, 'resolve'),
    body: defined({ rootCause: str(input.values, 'root-cause'), override }),
  };
}

const resolve: Verb = {
  usage: 'REF [--root-cause T] [--override REASON]',
  summary: 'resolve: needs a root cause and a "resolved" verification, or --override with a reason',
  options: { 'root-cause': { type: 'string' }, override: { type: 'string' } },
  plan: (input) => {
    noExtraArgs(input, 1);
    return planResolve(input);
  },
  render: printLine,
};

export const LIFECYCLE_VERBS: Record<string, Verb> = {
  list: list_,
  declare,
  show,
  update,
  status: statusVerb,
  ack,
  role,
  link,
  unlink,
  resolve,
};
