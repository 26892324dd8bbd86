import type { CliIo } from './output.ts';

/** How `firebreak alert` shows rules and firings to a person (`--json` shows the API answer). */
export type Rule = {
  id: string;
  name: string;
  detector: string;
  enabled: boolean;
  conditions: Record<string, unknown>;
  filters: { levels?: string[]; environments?: string[]; tags?: Record<string, string> };
  actions: { type: string; targets?: string[] | 'all'; severity?: string }[];
  cooldownMinutes: number;
  isDefault: boolean;
};
export type Firing = {
  id: string;
  rule: { name: string | null };
  project: string | null;
  detector: string;
  dateFired: string;
  summary: string;
  actions: Record<string, unknown>[];
};

function describeActions(rule: Rule): string {
  if (rule.actions.length === 0) return 'no actions (recorded only)';
  return rule.actions
    .map((a) =>
      a.type === 'notify'
        ? `notify ${a.targets === 'all' ? 'all targets' : (a.targets ?? []).join(',')}`
        : a.type === 'declare_incident'
          ? `declare ${a.severity ?? 'incident'}`
          : 'attach to open incident',
    )
    .join(', ');
}

function describeConditions(rule: Rule): string {
  const parts = Object.entries(rule.conditions).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('+') : v}`);
  const f = rule.filters;
  if (f.levels) parts.push(`level=${f.levels.join('|')}`);
  if (f.environments) parts.push(`env=${f.environments.join('|')}`);
  for (const [k, v] of Object.entries(f.tags ?? {})) parts.push(`${k}:${v}`);
  return parts.join(' ');
}

export function renderRule(io: CliIo, rule: Rule): void {
  const state = rule.enabled ? 'on ' : 'off';
  io.out(
    `${rule.id.padStart(4)}  ${state}  ${rule.detector.padEnd(14)} ${rule.name}${rule.isDefault ? ' (default)' : ''}`,
  );
  const conditions = describeConditions(rule);
  io.out(
    `${''.padEnd(10)}${conditions ? `${conditions} · ` : ''}${describeActions(rule)} · cooldown ${rule.cooldownMinutes} min`,
  );
}

export function describeResult(result: Record<string, unknown>): string {
  if (result.error) return `${result.type} failed: ${result.error}`;
  if (result.type === 'notify') {
    const targets = (result.targets as string[] | undefined) ?? [];
    return targets.length === 0 ? 'no notification target yet' : `notified targets ${targets.join(', ')}`;
  }
  if (result.type === 'declare_incident')
    return `${result.declared ? 'declared' : 'added to'} ${result.incident}`;
  const incidents = (result.incidents as string[]) ?? [];
  return incidents.length ? `attached to ${incidents.join(', ')}` : 'no open incident';
}
