import type { Breadcrumb, NormalizedEvent, StackFrame, Stacktrace } from '../../digest/event.ts';

/**
 * Sentry's event interfaces as its API serialises them (sentry `api/serializers/models/event.py`
 * and the interface `get_api_context`s): camelCase frames with numbered `context` lines, ISO
 * breadcrumb times, header pairs. The Sentry MCP server reads exactly these shapes. Payload
 * fields can have any type, so every value is checked before it is passed on.
 */

type Obj = Record<string, unknown>;

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const bool = (v: unknown): boolean | null => (typeof v === 'boolean' ? v : null);
const obj = (v: unknown): Obj | null =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : null;
const lines = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((l): l is string => typeof l === 'string') : [];

export function serializeFrame(frame: StackFrame) {
  const lineNo = num(frame.lineno);
  const context: [number, string][] = [];
  if (lineNo !== null && typeof frame.context_line === 'string') {
    const pre = lines(frame.pre_context);
    const all = [...pre, frame.context_line, ...lines(frame.post_context)];
    for (const [i, line] of all.entries()) context.push([lineNo - pre.length + i, line]);
  }
  return {
    filename: str(frame.filename),
    absPath: str(frame.abs_path),
    module: str(frame.module),
    package: str(frame.package),
    platform: str(frame.platform),
    instructionAddr: str(frame.instruction_addr),
    symbolAddr: str(frame.symbol_addr),
    function: str(frame.function),
    rawFunction: str(frame.raw_function),
    symbol: str(frame.symbol),
    context,
    lineNo,
    colNo: num(frame.colno),
    inApp: bool(frame.in_app) ?? false,
    trust: str(frame.trust),
    errors: null,
    lock: null,
    sourceLink: null,
    vars: obj(frame.vars),
  };
}

export function serializeStacktrace(stacktrace: Stacktrace | undefined) {
  if (!stacktrace || !Array.isArray(stacktrace.frames)) return null;
  const frames = stacktrace.frames.filter((f) => obj(f) !== null).map(serializeFrame);
  return {
    frames,
    framesOmitted: null,
    registers: obj(stacktrace.registers),
    hasSystemFrames: frames.some((f) => !f.inApp),
  };
}

export function serializeException(values: NormalizedEvent['exception']) {
  const list = (values?.values ?? []).filter((v) => obj(v) !== null);
  const serialized = list.map((value) => {
    const mechanism = obj(value.mechanism);
    return {
      type: str(value.type),
      value: str(value.value),
      module: str(value.module),
      threadId: null,
      mechanism: mechanism
        ? { ...mechanism, type: str(mechanism.type), handled: bool(mechanism.handled) }
        : null,
      stacktrace: serializeStacktrace(value.stacktrace),
      rawStacktrace: null,
    };
  });
  return {
    values: serialized,
    excOmitted: null,
    hasSystemFrames: serialized.some((v) => v.stacktrace?.hasSystemFrames === true),
  };
}

export function serializeThreads(threads: NormalizedEvent['threads']) {
  const values = (threads?.values ?? []).filter((t) => obj(t) !== null);
  return {
    values: values.map((t) => ({
      id: typeof t.id === 'number' || typeof t.id === 'string' ? t.id : null,
      name: str(t.name),
      current: bool(t.current),
      crashed: bool(t.crashed),
      state: null,
      stacktrace: serializeStacktrace(t.stacktrace),
      rawStacktrace: null,
    })),
  };
}

export function serializeBreadcrumbs(breadcrumbs: NormalizedEvent['breadcrumbs']) {
  const values = (breadcrumbs?.values ?? []).filter((b): b is Breadcrumb => obj(b) !== null);
  return {
    values: values.map((crumb) => {
      const seconds = num(crumb.timestamp);
      return {
        type: str(crumb.type) ?? 'default',
        timestamp: seconds === null ? null : isoSeconds(seconds),
        level: str(crumb.level) ?? 'info',
        message: str(crumb.message),
        category: str(crumb.category),
        data: obj(crumb.data),
        event_id: null,
      };
    }),
  };
}

export function serializeRequest(request: NonNullable<NormalizedEvent['request']>) {
  return {
    ...request,
    url: str(request.url),
    method: str(request.method),
    // Sentry answers headers as [name, value] pairs.
    headers: Object.entries(request.headers ?? {}),
  };
}

/** Sentry's user interface: identity fields as strings, never another type. */
export function serializeUser(user: NormalizedEvent['user']) {
  if (!user) return null;
  return {
    id: str(user.id),
    email: str(user.email),
    username: str(user.username),
    ip_address: str(user.ip_address),
    name: str(user.name),
    geo: stringsOnly(obj(user.geo)),
    data: obj(user.data),
  };
}

function stringsOnly(value: Obj | null): Record<string, string> | null {
  if (!value) return null;
  return Object.fromEntries(
    Object.entries(value).filter((e): e is [string, string] => typeof e[1] === 'string'),
  );
}

function isoSeconds(seconds: number): string | null {
  const date = new Date(seconds * 1000);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}
