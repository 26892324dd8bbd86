import { execFile } from 'node:child_process';
import type { AppContext } from '../context.ts';
import { postJson, signatureOf } from '../outgoing/post.ts';
import { replyExcerpt } from '../outgoing/reply-excerpt.ts';
import type { Org, Project } from '../store/types.ts';
import type { Incident, MitigationHook, TimelineEntry } from '../store/types-incidents.ts';
import { formatIncidentRef } from './access.ts';
import { type CommandPlaceholder, fillTemplate, injectedOption } from './mitigation-hook.ts';

/** The outcome of one hook call, as the API and the `hook_result` entry show it. */
export interface HookResult {
  project: string;
  hook: 'webhook' | 'command';
  ok: boolean;
  /** HTTP status or exit code; null when there was none (refused, timed out, not found). */
  status: number | null;
  /** The status line or Firebreak's own reason, never the reply. */
  detail: string;
  /**
   * The start of a webhook's answer or the end of a command's output, scrubbed
   * (outgoing/reply-excerpt.ts); shown only to who may configure the hook (hook-result-shown.ts).
   */
  excerpt: string | null;
  /** How long the call took; null on rows written before it was kept. */
  durationMs: number | null;
}

type CallOutcome = Omit<HookResult, 'project' | 'hook' | 'durationMs'>;

/** What a hook is told: the JSON body of a webhook, the placeholders of a command. */
export interface HookCall {
  payload: {
    action: 'mitigation';
    incident: { ref: string; title: string; severity: string; status: string; url: string };
    mitigation: Record<string, unknown>;
    project: { slug: string };
  };
  values: Record<CommandPlaceholder, string>;
}

const WEBHOOK_TIMEOUT_MS = 10_000;
const REASON_CHARS = 1000;
const OUTPUT_BYTES = 1024 * 1024;

/** A reason fetch gave (it may be long): bounded, the end kept. */
function tail(text: string): string {
  const trimmed = text.trim();
  return trimmed.length > REASON_CHARS ? `…${trimmed.slice(-REASON_CHARS)}` : trimmed;
}

/** Calls the project's hook: the webhook, then the command, when set. Never throws. */
async function callHook(ctx: AppContext, hook: MitigationHook, call: HookCall): Promise<HookResult[]> {
  const results: HookResult[] = [];
  const project = call.payload.project.slug;
  const timed = async (kind: HookResult['hook'], run: () => Promise<CallOutcome>): Promise<HookResult> => {
    const started = ctx.clock.now();
    const outcome = await run();
    return { project, hook: kind, ...outcome, durationMs: Math.max(0, ctx.clock.now() - started) };
  };
  if (hook.url) results.push(await timed('webhook', () => postWebhook(hook, call)));
  if (hook.command) results.push(await timed('command', () => runCommand(ctx, hook.command!, call)));
  return results;
}

/** Calls the hooks of the target projects (in parallel) with the recorded mitigation. */
export async function callMitigationHooks(
  ctx: AppContext,
  org: Org,
  incident: Incident,
  targets: Project[],
  entry: TimelineEntry,
): Promise<HookResult[]> {
  const ref = formatIncidentRef(incident);
  const data = entry.data as Record<string, string | null>;
  const calls = targets.map(async (project) => {
    const hook = await ctx.store.mitigationHooks.get(project.id);
    if (!hook) return [];
    return callHook(ctx, hook, {
      payload: {
        action: 'mitigation',
        incident: {
          ref,
          title: incident.title,
          severity: incident.severity,
          status: incident.status,
          url: `${ctx.publicUrl()}/organizations/${org.slug}/incidents/${ref}/`,
        },
        mitigation: {
          id: String(entry.id),
          type: data.type,
          release: data.release,
          environment: data.environment,
          description: data.description,
          owner: data.owner,
          occurredAt: new Date(entry.occurredAt).toISOString(),
          actor: entry.actor,
        },
        project: { slug: project.slug },
      },
      values: {
        incident: ref,
        org: org.slug,
        project: project.slug,
        type: data.type ?? '',
        release: data.release ?? '',
        // Sentry's default environment, which the SDKs also report when none is set.
        environment: data.environment ?? 'production',
        owner: data.owner ?? '',
        mitigation: String(entry.id),
      },
    });
  });
  return (await Promise.all(calls)).flat();
}

async function postWebhook(hook: MitigationHook, call: HookCall): Promise<CallOutcome> {
  const body = JSON.stringify(call.payload);
  const headers: Record<string, string> = {};
  if (hook.secret) headers['X-Firebreak-Signature'] = `sha256=${signatureOf(hook.secret, body)}`;
  const { host, status, detail, excerpt } = await postJson(hook.url!, body, {
    headers,
    timeoutMs: WEBHOOK_TIMEOUT_MS,
    boundReason: tail,
  });
  if (status === null) return { ok: false, status, detail, excerpt };
  if (status >= 300 && status < 400) {
    return { ok: false, status, detail: `${host} answered a redirect, not followed`, excerpt };
  }
  return { ok: status >= 200 && status < 300, status, detail, excerpt };
}

function runCommand(ctx: AppContext, template: string[], call: HookCall): Promise<CallOutcome> {
  // Checked again at run time: turning the setting off stops commands set while it was on.
  if (!ctx.config.allowMitigationCommands) {
    return Promise.resolve({
      ok: false,
      status: null,
      detail: 'command hooks are disabled on this server (FIREBREAK_ALLOW_MITIGATION_COMMANDS)',
      excerpt: null,
    });
  }
  const [program, ...args] = fillTemplate(template, call.values);
  const option = injectedOption(template, [program, ...args]);
  if (option !== null) {
    return Promise.resolve({
      ok: false,
      status: null,
      detail: `not run: argument ${option} (${template[option]}) would start with "-" and read as an option`,
      excerpt: null,
    });
  }
  const timeoutSeconds = ctx.config.mitigationCommandTimeoutSeconds;
  // A minimal environment: the server's own (database URL, passwords) is not the hook's business.
  const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin' };
  if (process.env.HOME) env.HOME = process.env.HOME;
  for (const [name, value] of Object.entries(call.values)) env[`FIREBREAK_${name.toUpperCase()}`] = value;
  return new Promise((resolve) => {
    execFile(
      program,
      args,
      {
        env,
        timeout: timeoutSeconds * 1000,
        killSignal: 'SIGKILL',
        maxBuffer: OUTPUT_BYTES,
        windowsHide: true,
      },
      (error, stdout, stderr) => {
        // Errors print last: the end of the output is kept.
        const excerpt = replyExcerpt(`${stdout}${stderr ? `\n${stderr}` : ''}`, 'end');
        if (!error) {
          resolve({ ok: true, status: 0, detail: 'exit 0', excerpt });
          return;
        }
        const failure = error as NodeJS.ErrnoException & { killed?: boolean; signal?: string | null };
        if (failure.code === 'ENOENT' || failure.code === 'EACCES') {
          resolve({
            ok: false,
            status: null,
            detail: `cannot run ${program}: ${failure.code}`,
            excerpt: null,
          });
        } else if (failure.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') {
          const detail = `killed: more than ${OUTPUT_BYTES} bytes of output`;
          resolve({ ok: false, status: null, detail, excerpt });
        } else if (failure.killed && failure.signal) {
          resolve({ ok: false, status: null, detail: `killed after ${timeoutSeconds} s`, excerpt });
        } else {
          const exit: unknown = failure.code;
          const code = typeof exit === 'number' ? exit : null;
          resolve({ ok: false, status: code, detail: `exit ${code ?? failure.signal ?? '?'}`, excerpt });
        }
      },
    );
  });
}
