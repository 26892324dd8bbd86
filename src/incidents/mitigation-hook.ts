import { z } from 'zod';
import { forbidden, invalid, notFound } from '../app-error.ts';
import { type Principal, requireScope } from '../auth/principal.ts';
import type { Scope } from '../auth/scopes.ts';
import type { AppContext } from '../context.ts';
import { resolveProject } from '../orgs/resolve.ts';
import { shownUrl } from '../outgoing/shown-url.ts';
import type { Project } from '../store/types.ts';
import type { MitigationHook } from '../store/types-incidents.ts';
import { clip, parseInput } from '../validation.ts';

/**
 * A project's mitigation hook: what Firebreak calls when a mitigation is recorded for the
 * project (a webhook, and/or a command template run without a shell). Reading needs
 * project:read, changing project:write; a command also needs the server's
 * `allowMitigationCommands` and org:admin or project:admin, because it runs on this server.
 */

/** The values a command template may name; each `{name}` is replaced inside an argument. */
export const COMMAND_PLACEHOLDERS = [
  'incident',
  'org',
  'project',
  'type',
  'release',
  'environment',
  'owner',
  'mitigation',
] as const;
export type CommandPlaceholder = (typeof COMMAND_PLACEHOLDERS)[number];
const PLACEHOLDER = /\{([a-z_]+)\}/g;

/** A URL zod's check let through, or null: refinements run even after `.url()` failed. */
const urlOf = (text: string): URL | null => (URL.canParse(text) ? new URL(text) : null);

const WebhookUrl = z
  .string()
  .trim()
  .max(2000)
  .url()
  .refine((text) => /^https?:$/.test(urlOf(text)?.protocol ?? 'https:'), 'only http and https URLs')
  // fetch refuses such a URL, and its error (which quotes the URL, password included) would be
  // the hook_result on the timeline: a hook that can never work and shows its password.
  .refine(
    (text) => !urlOf(text)?.username && !urlOf(text)?.password,
    'no user or password in the URL (they cannot be sent); sign the calls with a secret instead',
  );

export const MitigationHookInput = z
  .object({
    /** null clears the webhook. */
    url: WebhookUrl.nullable().optional(),
    /** HMAC key for `X-Firebreak-Signature`; null removes it. Never shown again. */
    secret: z.string().min(8).max(500).nullable().optional(),
    /** argv: the program, then its arguments, with `{placeholders}`; null clears it. */
    command: z.array(z.string().max(1000)).min(1).max(50).nullable().optional(),
  })
  .strict();

export interface MitigationHookView {
  project: string;
  configured: boolean;
  url: string | null;
  command: string[] | null;
  hasSecret: boolean;
  updatedAt: number | null;
}

/** The hook as anyone with project:read sees it: no secret, no credentials or query values in the URL. */
function viewHook(project: Project, hook: MitigationHook | null): MitigationHookView {
  return {
    project: project.slug,
    configured: hook !== null,
    url: hook?.url ? shownUrl(hook.url) : null,
    command: hook?.command ?? null,
    hasSecret: Boolean(hook?.secret),
    updatedAt: hook?.updatedAt ?? null,
  };
}

function checkTemplate(command: string[]): void {
  if (command[0].trim() === '') throw invalid('invalid command: the first element is the program to run');
  for (const arg of command) {
    for (const [, name] of arg.matchAll(PLACEHOLDER)) {
      if (!(COMMAND_PLACEHOLDERS as readonly string[]).includes(name)) {
        throw invalid(
          `invalid command: unknown placeholder {${clip(name)}} (known: ${COMMAND_PLACEHOLDERS.map((p) => `{${p}}`).join(' ')})`,
        );
      }
    }
  }
}

/** Replaces `{name}` in each argument; the program itself is never templated. */
export function fillTemplate(command: string[], values: Record<CommandPlaceholder, string>): string[] {
  return command.map((arg, index) =>
    index === 0
      ? arg
      : arg.replace(PLACEHOLDER, (whole, name: string) =>
          name in values ? values[name as CommandPlaceholder] : whole,
        ),
  );
}

/**
 * The index of the first argument that a placeholder turned into an option (it starts with "-"
 * where the template's does not), or null. Inputs are checked when recorded; this holds for
 * every placeholder whatever reached it, so a value can never become a flag of the program.
 */
export function injectedOption(template: string[], filled: string[]): number | null {
  for (let i = 1; i < filled.length; i++) {
    if (filled[i].startsWith('-') && !template[i].startsWith('-')) return i;
  }
  return null;
}

/** GET /projects/{org}/{project}/mitigation-hook/ */
export async function getMitigationHook(
  ctx: AppContext,
  principal: Principal,
  input: { org: string; project: string },
): Promise<MitigationHookView> {
  requireScope(principal, 'project:read', 'project:write', 'project:admin');
  const { project } = await resolveProject(ctx, principal, input.org, input.project);
  return viewHook(project, await ctx.store.mitigationHooks.get(project.id));
}

/**
 * Who configures a project's hook: a webhook takes one of WEBHOOK_SCOPES, a command one of those
 * and one of COMMAND_SCOPES too. Who may read a hook's replies follows the same rule
 * (hook-result-shown.ts).
 */
export const WEBHOOK_SCOPES: Scope[] = ['project:write', 'project:admin'];
export const COMMAND_SCOPES: Scope[] = ['org:admin', 'project:admin'];

/** PUT /projects/{org}/{project}/mitigation-hook/ — merges into the current hook (absent keys stay). */
export async function putMitigationHook(
  ctx: AppContext,
  principal: Principal,
  input: { org: string; project: string },
  body: unknown,
): Promise<MitigationHookView> {
  requireScope(principal, ...WEBHOOK_SCOPES);
  const patch = parseInput(MitigationHookInput, body, 'hook');
  const { project } = await resolveProject(ctx, principal, input.org, input.project);
  if (patch.command) {
    if (!ctx.config.allowMitigationCommands) {
      throw forbidden(
        'command hooks are disabled on this server: a command runs as the server user, so an operator must enable them (FIREBREAK_ALLOW_MITIGATION_COMMANDS=1); use a webhook instead',
      );
    }
    // Checked after resolveProject, so a user's role in the organisation caps the token's scopes.
    requireScope(principal, ...COMMAND_SCOPES);
    checkTemplate(patch.command);
  }
  const current = await ctx.store.mitigationHooks.get(project.id);
  const next: MitigationHook = {
    projectId: project.id,
    url: patch.url !== undefined ? patch.url : (current?.url ?? null),
    secret: patch.secret !== undefined ? patch.secret : (current?.secret ?? null),
    command: patch.command !== undefined ? patch.command : (current?.command ?? null),
    updatedAt: ctx.clock.now(),
  };
  if (next.url === null && next.command === null) {
    throw invalid('a mitigation hook needs a url or a command (DELETE removes the hook)');
  }
  await ctx.store.mitigationHooks.put(next);
  return viewHook(project, next);
}

/** DELETE /projects/{org}/{project}/mitigation-hook/ */
export async function deleteMitigationHook(
  ctx: AppContext,
  principal: Principal,
  input: { org: string; project: string },
): Promise<void> {
  requireScope(principal, ...WEBHOOK_SCOPES);
  const { project } = await resolveProject(ctx, principal, input.org, input.project);
  if (!(await ctx.store.mitigationHooks.delete(project.id))) throw notFound('mitigation hook');
}
