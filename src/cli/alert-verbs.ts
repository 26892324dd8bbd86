import type { ParseArgsOptionsConfig } from 'node:util';
import { describeResult, type Firing, type Rule, renderRule } from './alert-render.ts';
import type { ApiRequest } from './api-client.ts';
import {
  arg,
  list,
  noExtraArgs,
  orgPath,
  positiveInt,
  projectPath,
  str,
  UsageError,
  type Values,
  type Verb,
  type VerbInput,
} from './incident-args.ts';

function rulesPath(input: VerbInput, ...parts: string[]): string {
  const project = str(input.values, 'project');
  if (!project) throw new UsageError('name the project: --project SLUG');
  return projectPath(input.org, project, 'alert-rules', ...parts);
}

function ruleId(input: VerbInput): string {
  const id = arg(input, 0, 'RULE (the rule id from `firebreak alert list`)');
  if (!/^\d{1,15}$/.test(id)) throw new UsageError(`"${id}" is not a rule id`);
  return id;
}

const number = (values: Values, name: string): number | undefined => {
  const text = str(values, name);
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value))
    throw new UsageError(`--${name} must be a number, not "${text}"`);
  return value;
};

const RULE_OPTIONS: ParseArgsOptionsConfig = {
  project: { type: 'string' },
  name: { type: 'string' },
  factor: { type: 'string' },
  'min-count': { type: 'string' },
  window: { type: 'string' },
  scope: { type: 'string' },
  baseline: { type: 'string' },
  threshold: { type: 'string' },
  metric: { type: 'string' },
  'min-sessions': { type: 'string' },
  include: { type: 'string', multiple: true },
  conditions: { type: 'string' },
  level: { type: 'string', multiple: true },
  environment: { type: 'string', multiple: true },
  tag: { type: 'string', multiple: true },
  notify: { type: 'string', multiple: true },
  declare: { type: 'string' },
  attach: { type: 'boolean' },
  'no-actions': { type: 'boolean' },
  cooldown: { type: 'string' },
  disable: { type: 'boolean' },
  enable: { type: 'boolean' },
};

/** The detector thresholds given as flags (and/or `--conditions JSON`); undefined when none was. */
function conditionsOf(values: Values): Record<string, unknown> | undefined {
  let base: Record<string, unknown> = {};
  const json = str(values, 'conditions');
  if (json !== undefined) {
    try {
      base = JSON.parse(json);
    } catch {
      throw new UsageError('--conditions must be a JSON object, e.g. \'{"factor": 4}\'');
    }
  }
  const flags = Object.fromEntries(
    Object.entries({
      factor: number(values, 'factor'),
      minCount: number(values, 'min-count'),
      windowMinutes: number(values, 'window'),
      scope: str(values, 'scope'),
      baseline: str(values, 'baseline'),
      threshold: number(values, 'threshold'),
      metric: str(values, 'metric'),
      minSessions: number(values, 'min-sessions'),
      include: list(values, 'include'),
    }).filter(([, v]) => v !== undefined),
  );
  const merged = { ...base, ...flags };
  return json === undefined && Object.keys(flags).length === 0 ? undefined : merged;
}

function filtersOf(values: Values): Record<string, unknown> | undefined {
  const tags = list(values, 'tag')?.map((pair) => {
    const at = pair.indexOf('=');
    if (at <= 0) throw new UsageError(`--tag takes KEY=VALUE, not "${pair}"`);
    return [pair.slice(0, at), pair.slice(at + 1)];
  });
  const filters = {
    levels: list(values, 'level'),
    environments: list(values, 'environment'),
    tags: tags && Object.fromEntries(tags),
  };
  const given = Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== undefined));
  return Object.keys(given).length ? given : undefined;
}

function actionsOf(values: Values): unknown[] | undefined {
  const actions: unknown[] = [];
  const notify = list(values, 'notify');
  if (notify) actions.push({ type: 'notify', targets: notify.includes('all') ? 'all' : notify });
  const severity = str(values, 'declare');
  if (severity !== undefined) actions.push({ type: 'declare_incident', ...(severity ? { severity } : {}) });
  if (values.attach === true) actions.push({ type: 'attach_incident' });
  if (values['no-actions'] === true) {
    if (actions.length) throw new UsageError('--no-actions cannot go with --notify, --declare or --attach');
    return [];
  }
  return actions.length ? actions : undefined;
}

function ruleBody(values: Values) {
  if (values.enable === true && values.disable === true)
    throw new UsageError('--enable or --disable, not both');
  const body = {
    name: str(values, 'name'),
    enabled: values.disable === true ? false : values.enable === true ? true : undefined,
    conditions: conditionsOf(values),
    filters: filtersOf(values),
    actions: actionsOf(values),
    cooldownMinutes: number(values, 'cooldown'),
  };
  return Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined));
}

export const ALERT_VERBS: Record<string, Verb> = {
  list: {
    usage: '--project SLUG',
    summary: "the project's alert rules (defaults included)",
    options: { project: { type: 'string' } },
    plan: (input) => {
      noExtraArgs(input, 0);
      return { method: 'GET', path: rulesPath(input) };
    },
    render: (io, answer) => {
      const rules = answer as Rule[];
      if (rules.length === 0) io.out('no alert rules');
      for (const rule of rules) renderRule(io, rule);
    },
  },
  add: {
    usage:
      '--project SLUG --name NAME --detector new_issue|regression|spike|deploy|users|release_health [--factor N] [--min-count N] [--window MIN] [--threshold N] [--metric M] [--level L] [--environment E] [--tag K=V] [--notify ID|all] [--declare SEVERITY] [--attach] [--cooldown MIN]',
    summary: 'create a rule: a detector with thresholds and filters, and what to do when it fires',
    options: { ...RULE_OPTIONS, detector: { type: 'string' } },
    plan: (input): ApiRequest => {
      noExtraArgs(input, 0);
      const detector = str(input.values, 'detector');
      if (!detector) throw new UsageError('name the detector: --detector new_issue|regression|spike|…');
      if (!str(input.values, 'name')) throw new UsageError('name the rule: --name "Checkout spikes"');
      return { method: 'POST', path: rulesPath(input), body: { detector, ...ruleBody(input.values) } };
    },
    render: (io, answer) => renderRule(io, answer as Rule),
  },
  update: {
    usage: 'RULE --project SLUG [the flags of add] [--enable|--disable] [--no-actions]',
    summary: 'change a rule: only the flags given change (new conditions replace the old ones)',
    options: RULE_OPTIONS,
    plan: (input) => {
      const id = ruleId(input);
      noExtraArgs(input, 1);
      const body = ruleBody(input.values);
      if (Object.keys(body).length === 0) throw new UsageError('nothing to change');
      return { method: 'PUT', path: rulesPath(input, id), body };
    },
    merge: (current, request) => ({
      ...request,
      body: mergeRuleChange(current as Rule, request.body as RuleChange),
    }),
    render: (io, answer) => renderRule(io, answer as Rule),
  },
  delete: {
    usage: 'RULE --project SLUG',
    summary: 'delete a rule (its firings stay in the history)',
    options: { project: { type: 'string' } },
    plan: (input) => {
      const id = ruleId(input);
      noExtraArgs(input, 1);
      return { method: 'DELETE', path: rulesPath(input, id) };
    },
    render: (io, _answer, input) => io.out(`deleted alert rule ${input.positionals[0]}`),
  },
  firings: {
    usage: '[RULE --project SLUG] [--project SLUG] [--limit N]',
    summary: "what fired, newest first: one rule's firings, or the organisation's alert history",
    options: { project: { type: 'string' }, limit: { type: 'string' } },
    plan: (input) => {
      noExtraArgs(input, 1);
      const limit = positiveInt(input.values, 'limit');
      const query = { per_page: limit === undefined ? undefined : String(limit) };
      if (input.positionals[0] !== undefined) {
        return { method: 'GET', path: `${rulesPath(input, ruleId(input))}firings/`, query };
      }
      return {
        method: 'GET',
        path: orgPath(input.org, 'alert-firings'),
        query: { ...query, project: str(input.values, 'project') },
      };
    },
    render: (io, answer, _input, page) => {
      const firings = answer as Firing[];
      if (firings.length === 0) io.out('nothing fired');
      for (const f of firings) {
        io.out(`${f.dateFired}  ${f.project ?? '-'}  ${f.rule.name ?? '(deleted rule)'}  [${f.detector}]`);
        const results = f.actions.map(describeResult).join('; ');
        io.out(`  ${f.summary}${results ? `\n  → ${results}` : ''}`);
      }
      if (page.nextCursor) io.out('(more: --json shows the Link cursor; narrow with --project or a rule)');
    },
  },
};

type RuleChange = {
  conditions?: Record<string, unknown>;
  filters?: Record<string, unknown>;
  actions?: { type: string }[];
} & Record<string, unknown>;

/**
 * `alert update` changes only what its flags name: the API replaces a rule's conditions, filters
 * and actions whole, so the flags are folded into the rule as it is. `--window` keeps the rule's
 * factor and scope; `--level` keeps its environments; `--notify` replaces the notify action and
 * keeps `--declare`'s; `--no-actions` clears them all.
 */
export function mergeRuleChange(current: Rule, change: RuleChange): RuleChange {
  const merged: RuleChange = { ...change };
  if (change.conditions) merged.conditions = { ...(current.conditions ?? {}), ...change.conditions };
  if (change.filters) merged.filters = { ...(current.filters ?? {}), ...change.filters };
  if (change.actions && change.actions.length > 0) {
    const replaced = new Set(change.actions.map((a) => a.type));
    merged.actions = [...(current.actions ?? []).filter((a) => !replaced.has(a.type)), ...change.actions];
  }
  return merged;
}
