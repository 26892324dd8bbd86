import { invalid } from '../app-error.ts';
import { type Principal, requireScope } from '../auth/principal.ts';
import type { AppContext } from '../context.ts';
import { resolveOrg } from '../orgs/resolve.ts';

/**
 * Firebreak stores no spans, transactions or logs, and does not index trace ids: a trace is
 * answered empty (Sentry's trace-meta with zero counts, an empty trace), so tools that follow an
 * event's trace (the MCP server's get_trace_details) report "nothing found" instead of failing.
 */
export async function getTraceMeta(
  ctx: AppContext,
  principal: Principal,
  input: { org: string; traceId: string },
) {
  await checkTrace(ctx, principal, input);
  return {
    errors: 0,
    performance_issues: 0,
    span_count: 0,
    transaction_child_count_map: [],
    span_count_map: {},
    logs: 0,
  };
}

export async function getTrace(
  ctx: AppContext,
  principal: Principal,
  input: { org: string; traceId: string },
) {
  await checkTrace(ctx, principal, input);
  return [];
}

async function checkTrace(ctx: AppContext, principal: Principal, input: { org: string; traceId: string }) {
  requireScope(principal, 'event:read', 'event:write', 'event:admin');
  await resolveOrg(ctx, principal, input.org);
  if (!/^[0-9a-fA-F]{32}$/.test(input.traceId)) throw invalid('trace id must be 32 hexadecimal characters');
}
