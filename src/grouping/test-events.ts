import type { NormalizedEvent, SingleException, StackFrame } from '../digest/event.ts';

/** Frames shaped like @sentry/node's (reference/sentry-protocol.md §3.5, sentry-clients.md §4). */

export const nodeInternalFrame = (
  fn: string,
  file = 'node:internal/process/task_queues',
  lineno = 95,
): StackFrame => ({
  filename: file,
  module: file.slice(file.lastIndexOf('/') + 1),
  function: fn,
  lineno,
  colno: 5,
  in_app: false,
});

export const expressFrame = (lineno = 95): StackFrame => ({
  filename: '/app/node_modules/express/lib/router/layer.js',
  module: 'express.lib.router:layer',
  function: 'Layer.handle [as handle_request]',
  lineno,
  colno: 5,
  in_app: false,
});

export function appFrame(path: string, fn: string, contextLine: string, lineno = 42): StackFrame {
  const module = path
    .replace(/\.[jt]s$/, '')
    .replace(/\/([^/]*)$/, ':$1')
    .replaceAll('/', '.');
  return {
    filename: `/app/${path}`,
    module,
    function: fn,
    lineno,
    colno: 18,
    in_app: true,
    pre_context: ['async function handler(req) {'],
    context_line: contextLine,
    post_context: ['}'],
  };
}

/** The GET /users/:id crash of §3.5: express → getUser. */
export const getUserFrames = (lineno = 42): StackFrame[] => [
  nodeInternalFrame('process.processTicksAndRejections'),
  expressFrame(),
  appFrame('src/routes/users.js', 'getUser', '  return user.id;', lineno),
];

export function exception(type: string, value: string, frames?: StackFrame[]): SingleException {
  return {
    type,
    value,
    mechanism: { type: 'auto.middleware.express', handled: false },
    ...(frames ? { stacktrace: { frames } } : {}),
  };
}

export function errorEvent(values: SingleException[], extra: Partial<NormalizedEvent> = {}): NormalizedEvent {
  return {
    event_id: 'b0d4e3c1f0c44c5c9a1d2f3e4a5b6c7d',
    timestamp: 1782907200.123,
    received: 1782907200.2,
    platform: 'node',
    level: 'error',
    environment: 'production',
    release: 'api@1.4.2',
    server_name: 'web-1',
    type: 'error',
    tags: {},
    exception: { values },
    contexts: { runtime: { name: 'node', version: 'v22.3.0' } },
    sdk: { name: 'sentry.javascript.node', version: '10.5.0' },
    ...extra,
  };
}

export function messageEvent(formatted: string, extra: Partial<NormalizedEvent> = {}): NormalizedEvent {
  return {
    event_id: 'f2d6021c60544f09bff5a5e0af3ee338',
    timestamp: 1795334681.165,
    received: 1795334681.2,
    platform: 'node',
    level: 'info',
    environment: 'production',
    type: 'default',
    tags: {},
    logentry: { formatted },
    ...extra,
  };
}
