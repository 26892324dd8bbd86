import { conflict, notFound } from '../app-error.ts';
import { type Principal, requireScope } from '../auth/principal.ts';
import type { AppContext } from '../context.ts';
import { resolveOrg } from '../orgs/resolve.ts';
import type { NotificationTarget } from '../store/types-notifications.ts';
import { parseInput } from '../validation.ts';
import { CreateTargetInput, storedTarget, UPDATE_SCHEMAS } from './target-input.ts';

/**
 * Notification targets of an organisation: reading them is alerts:read (whoever writes alert
 * rules picks their targets) or org:write, not bare org:read, which every CI token holds (org:ci);
 * changing them is org:write (they decide where the organisation's alerts and pages go). Secrets
 * never leave the store except to the channel that uses them.
 */
export const TARGETS_READ = ['org:write', 'org:admin', 'alerts:read', 'alerts:write'] as const;
export const TARGETS_WRITE = ['org:write', 'org:admin'] as const;

export async function loadTarget(
  ctx: AppContext,
  principal: Principal,
  orgSlug: string,
  id: string,
  write: boolean,
): Promise<NotificationTarget> {
  requireScope(principal, ...(write ? TARGETS_WRITE : TARGETS_READ));
  const org = await resolveOrg(ctx, principal, orgSlug);
  const target = /^\d{1,15}$/.test(id) ? await ctx.store.notificationTargets.get(org.id, Number(id)) : null;
  if (!target) throw notFound('notification target');
  return target;
}

/** GET /organizations/{org}/notification-targets/ */
export async function listTargets(ctx: AppContext, principal: Principal, orgSlug: string) {
  requireScope(principal, ...TARGETS_READ);
  const org = await resolveOrg(ctx, principal, orgSlug);
  return ctx.store.notificationTargets.list(org.id);
}

/** POST /organizations/{org}/notification-targets/ */
export async function createTarget(ctx: AppContext, principal: Principal, orgSlug: string, body: unknown) {
  requireScope(principal, ...TARGETS_WRITE);
  const org = await resolveOrg(ctx, principal, orgSlug);
  const input = parseInput(CreateTargetInput, body, 'target');
  const { config, secrets } = storedTarget(input.kind, input, null);
  return ctx.store.notificationTargets.create({
    orgId: org.id,
    name: input.name,
    kind: input.kind,
    config,
    secrets,
    enabled: input.enabled ?? true,
    now: ctx.clock.now(),
  });
}

/** PUT /organizations/{org}/notification-targets/{id}/ — only the fields given change. */
export async function updateTarget(
  ctx: AppContext,
  principal: Principal,
  orgSlug: string,
  id: string,
  body: unknown,
) {
  const target = await loadTarget(ctx, principal, orgSlug, id, true);
  const input = parseInput(UPDATE_SCHEMAS[target.kind], body, 'target') as Record<string, unknown>;
  const { config, secrets } = storedTarget(target.kind, input, target);
  const updated = await ctx.store.notificationTargets.update(target.orgId, target.id, {
    name: input.name as string | undefined,
    enabled: input.enabled as boolean | undefined,
    config,
    secrets,
    now: ctx.clock.now(),
  });
  if (!updated) throw notFound('notification target');
  return updated;
}

/**
 * DELETE /organizations/{org}/notification-targets/{id}/ — its queued deliveries go with it.
 * Refused while an escalation policy or alert rule names it: they would page nobody without a
 * word (disabling it is the way to silence it and keep the policies as they are).
 */
export async function deleteTarget(ctx: AppContext, principal: Principal, orgSlug: string, id: string) {
  const target = await loadTarget(ctx, principal, orgSlug, id, true);
  const users = await targetUsers(ctx, target);
  if (users.length > 0) {
    throw conflict(
      `${target.name} is used by ${users.join(', ')}: remove it from them first, or disable it (enabled: false)`,
    );
  }
  await ctx.store.notificationTargets.delete(target.orgId, target.id);
}

/** The escalation policies and alert rules that name the target ("the P1 escalation policy"). */
async function targetUsers(ctx: AppContext, target: NotificationTarget): Promise<string[]> {
  const users: string[] = [];
  for (const policy of await ctx.store.escalationPolicies.list(target.orgId)) {
    const named = [
      ...policy.levels.flatMap((l) => l.targetIds),
      ...policy.reminderTargetIds,
      ...policy.updateTargetIds,
    ];
    if (named.includes(target.id)) users.push(`the ${policy.severity} escalation policy`);
  }
  for (const project of await ctx.store.projects.listByOrg(target.orgId)) {
    for (const rule of await ctx.store.alertRules.listByProject(project.id)) {
      const named = rule.actions.some(
        (a) => a.type === 'notify' && a.targetIds !== 'all' && a.targetIds.includes(target.id),
      );
      if (named) users.push(`alert rule "${rule.name}" (${project.slug})`);
    }
  }
  return users;
}
