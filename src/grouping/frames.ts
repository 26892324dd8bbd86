import type { StackFrame } from '../digest/event.ts';

export type PlatformFamily = 'javascript' | 'native' | 'other';

/**
 * A read-only view of a frame after Sentry's `normalize_stacktraces_for_grouping`
 * (`stacktraces/processing.py`) and the built-in stack-trace rules. The event is never mutated.
 */
export interface GroupingFrame {
  platform: string;
  family: PlatformFamily;
  absPath: string | undefined;
  filename: string | undefined;
  module: string | undefined;
  function: string | undefined;
  rawFunction: string | undefined;
  package: string | undefined;
  lineno: unknown;
  colno: unknown;
  contextLine: string | undefined;
  sourcemap: boolean;
  inApp: boolean;
  /** `-group`: excluded from every grouping variant. */
  noGroup: boolean;
}

const NATIVE_PLATFORMS = new Set(['objc', 'cocoa', 'swift', 'native', 'c']);

export function platformFamily(platform: string): PlatformFamily {
  if (platform === 'javascript' || platform === 'node') return 'javascript';
  return NATIVE_PLATFORMS.has(platform) ? 'native' : 'other';
}

const str = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

/** `Object.foo` ⇒ `foo`: JS engines disagree on the receiver prefix. */
export const lastDotSegment = (name: string): string => name.slice(name.lastIndexOf('.') + 1);

// Built-in rules from sentry `grouping/enhancer/enhancement-configs/all-platforms@2023-01-11.txt`.
const NOT_APP_PATH = /\/(?:vendor|node_modules|site-packages|dist-packages)\/|\/go\/pkg\/mod\//;
const CDN_PATH = /https:\/\/(?:unpkg\.com|cdnjs\.cloudflare\.com|cdn\.jsdelivr\.net|esm\.run)\//;
const TELEMETRY_PATH = /\/[^/]*(?:newrelic|logrocket)[^/]*\//;
// Sentry matches `module:@babel/**` etc. (browser module names); `[.:]` also catches the
// @sentry/node spelling `@babel.runtime.helpers:asyncToGenerator`.
const TRANSPILER_MODULE = /^(?:@babel|core-js|regenerator-runtime|tslib)[/.:]/;
const NODE_INTERNAL_FUNCTIONS = new Set([
  'runMicrotasks',
  'queueMicrotask',
  'processTicksAndRejections',
  'runNextTicks',
  'nextTick',
]);

const matchPath = (path: string): string => {
  const normalized = path.replaceAll('\\', '/').toLowerCase();
  return normalized.startsWith('/') ? normalized : `/${normalized}`;
};

/** Frame function after `trim_function_name`; only C# differs for the platforms we trim. */
function trimFunctionName(name: string, platform: string): string {
  return platform === 'csharp' ? name.split(' (', 1)[0] : name;
}

function normalizeFrame(frame: StackFrame, eventPlatform: string, belowReportError: boolean): GroupingFrame {
  const platform = str(frame.platform) ?? eventPlatform;
  const family = platformFamily(platform);
  let filename = str(frame.filename);
  const absPath = str(frame.abs_path) ?? filename;
  filename ??= absPath;
  if (platform === 'javascript' && filename) filename = filename.split('?', 1)[0];
  const rawFunction = str(frame.raw_function);
  const originalFunction = str(frame.function);
  const fn =
    originalFunction && !rawFunction ? trimFunctionName(originalFunction, platform) : originalFunction;
  const module = str(frame.module);

  const path = absPath ? matchPath(absPath) : '';
  const file = filename ? matchPath(filename) : '';
  const ruleFunction = fn && family === 'javascript' ? lastDotSegment(fn) : fn;

  // Rules run top to bottom, later ones overriding, exactly as in the rules file.
  let inApp: boolean | undefined = typeof frame.in_app === 'boolean' ? frame.in_app : undefined;
  let noGroup = false;
  if (NOT_APP_PATH.test(path) || CDN_PATH.test(path) || module?.startsWith('unpkg/')) inApp = false;
  if (family === 'javascript' && belowReportError) inApp = false;
  if (family === 'javascript' && (path.startsWith('/webpack:') || path.startsWith('/app:'))) {
    inApp = !file.includes('/node_modules/') && !(path.startsWith('/webpack:') && file.startsWith('/~/'));
  }
  if (module && TRANSPILER_MODULE.test(module)) {
    inApp = false;
    noGroup = true;
  }
  if (
    ruleFunction &&
    (NODE_INTERNAL_FUNCTIONS.has(ruleFunction) || (family === 'javascript' && ruleFunction === '_callSuper'))
  ) {
    inApp = false;
    noGroup = true;
  }
  if (module === 'newrelic' || TELEMETRY_PATH.test(path)) {
    inApp = false;
    noGroup = true;
  }
  // Node core modules (`node:internal/…`, `node:events`) are never application code.
  if (path.startsWith('/node:')) inApp = false;

  const data = frame.data;
  return {
    platform,
    family,
    absPath,
    filename,
    module,
    function: fn,
    rawFunction,
    package: str(frame.package),
    lineno: frame.lineno,
    colno: frame.colno,
    contextLine: typeof frame.context_line === 'string' ? frame.context_line : undefined,
    sourcemap: typeof data === 'object' && data !== null && data.sourcemap != null,
    inApp: inApp === true, // `_normalize_in_app`: unknown ⇒ not in-app
    noGroup,
  };
}

/** Normalise one stacktrace's frames (oldest → newest) into grouping views. */
export function normalizeFrames(frames: readonly StackFrame[], eventPlatform: string): GroupingFrame[] {
  // `family:javascript function:reportError ^-app -app`: `^` is towards the crash, i.e. newer frames.
  let reportErrorAt = -1;
  for (let i = 0; i < frames.length; i++) {
    const fn = str(frames[i]?.function);
    if (fn && lastDotSegment(fn) === 'reportError') {
      reportErrorAt = i;
      break;
    }
  }
  const out: GroupingFrame[] = new Array(frames.length);
  for (let i = 0; i < frames.length; i++) {
    out[i] = normalizeFrame(frames[i] ?? {}, eventPlatform, reportErrorAt !== -1 && i >= reportErrorAt);
  }
  return out;
}
