/**
 * The shape of a Sentry event payload as Firebreak reads it (reference/sentry-protocol.md §3).
 * Payloads are attacker-controlled: every field is optional and may have the wrong type until
 * normalizeEvent() has run; after it, the `NormalizedEvent` guarantees hold.
 */

export interface StackFrame {
  filename?: string;
  abs_path?: string;
  function?: string;
  raw_function?: string;
  module?: string;
  package?: string;
  platform?: string;
  lineno?: number;
  colno?: number;
  context_line?: string;
  pre_context?: string[];
  post_context?: string[];
  in_app?: boolean;
  vars?: Record<string, unknown>;
  data?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface Stacktrace {
  frames: StackFrame[];
  [key: string]: unknown;
}

export interface Mechanism {
  type?: string;
  handled?: boolean;
  synthetic?: boolean;
  is_exception_group?: boolean;
  exception_id?: number;
  parent_id?: number;
  meta?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface SingleException {
  type?: string;
  value?: string;
  module?: string;
  stacktrace?: Stacktrace;
  mechanism?: Mechanism;
  [key: string]: unknown;
}

export interface EventUser {
  id?: string;
  username?: string;
  email?: string;
  ip_address?: string;
  [key: string]: unknown;
}

export interface Breadcrumb {
  timestamp?: number;
  type?: string;
  category?: string;
  message?: string;
  level?: string;
  data?: Record<string, unknown>;
  [key: string]: unknown;
}

/** An event after normalizeEvent(): the listed fields exist and have these types. */
export interface NormalizedEvent {
  event_id: string;
  /** Unix seconds (float), as Sentry stores it. */
  timestamp: number;
  received: number;
  platform: string;
  level: 'debug' | 'info' | 'warning' | 'error' | 'fatal';
  environment: string;
  release?: string;
  dist?: string;
  logger?: string;
  transaction?: string;
  server_name?: string;
  type: 'error' | 'default';
  logentry?: { formatted?: string; message?: string; params?: unknown[] };
  exception?: { values: SingleException[] };
  threads?: {
    values: { id?: unknown; name?: string; crashed?: boolean; current?: boolean; stacktrace?: Stacktrace }[];
  };
  stacktrace?: Stacktrace;
  fingerprint?: string[];
  checksum?: string;
  /** Always an object of string → string after normalisation. */
  tags: Record<string, string>;
  extra?: Record<string, unknown>;
  user?: EventUser;
  request?: {
    method?: string;
    url?: string;
    query_string?: unknown;
    data?: unknown;
    cookies?: unknown;
    headers?: Record<string, string>;
    env?: Record<string, unknown>;
    [key: string]: unknown;
  };
  contexts?: Record<string, Record<string, unknown>>;
  breadcrumbs?: { values: Breadcrumb[] };
  sdk?: { name?: string; version?: string; [key: string]: unknown };
  modules?: Record<string, string>;
  [key: string]: unknown;
}
