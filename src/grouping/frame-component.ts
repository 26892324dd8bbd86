import { type GroupingFrame, lastDotSegment } from './frames.ts';

/**
 * `frame:v1` and `stacktrace:v1` from sentry `grouping/strategies/newstyle.py`, reduced to what
 * hashing needs: the contributing leaf values of each frame, in component order
 * (module, filename, function, context-line).
 */

const CONTEXT_LINE_PLATFORMS = new Set(['javascript', 'node', 'python', 'php', 'ruby']);
const UNKNOWN_JS_FUNCTIONS = new Set(['?', '<anonymous function>', '<anonymous>', 'Anonymous function']);
const LOW_QUALITY_JS_PATHS = new Set(['[native code]', 'native code', 'eval code', '<anonymous>']);
const PATH_SEPARATOR = /[/\\]/;
const RUBY_ERB_SUFFIX = /__\d{4,}_\d{4,}$/;
const URL_ORIGIN = /^(?:https?|applewebdata|blob):/;
const WHITESPACE_RUN = /\s+/g;
const JAVASSIST_MARKER = /(\$\$_javassist)(?:_seam)?(?:_[0-9]+)?/g;

/** `has_url_origin` in sentry `grouping/strategies/utils.py`. */
function hasUrlOrigin(path: string | undefined, allowFileOrigin: boolean): boolean {
  if (!path) return false;
  if (URL_ORIGIN.test(path)) return true;
  return !allowFileOrigin && path.startsWith('file:');
}

function filenameValue(frame: GroupingFrame): string | undefined {
  if (frame.filename === undefined) return undefined;
  const parts = frame.filename.split(PATH_SEPARATOR);
  const basename = parts[parts.length - 1].toLowerCase();
  if (hasUrlOrigin(frame.absPath, true) || basename === '<anonymous>' || basename === '[native code]') {
    return undefined;
  }
  return frame.platform === 'java' ? basename.replace(JAVASSIST_MARKER, '$1<auto>') : basename;
}

function moduleValue(frame: GroupingFrame): string | undefined {
  const { module, absPath, platform } = frame;
  if (module === undefined) return undefined;
  if (platform === 'javascript' && module.includes('/') && absPath?.endsWith(module)) return undefined;
  if (platform === 'java' && module.includes('$$Lambda$')) return undefined;
  return module;
}

function contextLineValue(frame: GroupingFrame): string | undefined {
  if (!CONTEXT_LINE_PLATFORMS.has(frame.platform) || frame.contextLine === undefined) return undefined;
  const line = frame.contextLine.trim().replace(WHITESPACE_RUN, ' ');
  if (line === '' || frame.contextLine.length > 120) return undefined; // minified JS
  if (frame.family === 'javascript' && !frame.function && hasUrlOrigin(frame.absPath, false))
    return undefined;
  return line;
}

function functionValue(frame: GroupingFrame, contextLineContributes: boolean): string | undefined {
  const func = frame.function ?? frame.rawFunction;
  if (!func) return undefined;
  switch (frame.platform) {
    case 'ruby':
      return func.startsWith('block ') ? 'block' : func.replace(RUBY_ERB_SUFFIX, '');
    case 'php':
      if (func.startsWith('[Anonymous') || func.startsWith('class@anonymous\0')) return undefined;
      return func.startsWith('class@anonymous') ? func.slice(func.lastIndexOf('::') + 2) : func;
    case 'java':
      return func.startsWith('lambda$') ? undefined : func;
  }
  if (frame.family === 'native') return func === '<redacted>' || func === '<unknown>' ? undefined : func;
  if (frame.family !== 'javascript') return func;
  // Sourcemapped names are unreliable; the original source line identifies the frame better.
  if (frame.sourcemap && contextLineContributes) return undefined;
  const fuzzy = lastDotSegment(frame.rawFunction ?? func);
  if (!fuzzy || UNKNOWN_JS_FUNCTIONS.has(fuzzy) || fuzzy.endsWith('/<')) return undefined;
  return lastDotSegment(func);
}

/** Contributing values of one frame; an empty array means the frame does not contribute. */
export function frameValues(frame: GroupingFrame, isRecursion: boolean): string[] {
  if (isRecursion || frame.noGroup) return [];
  if (frame.family === 'javascript') {
    const func = frame.rawFunction ?? frame.function;
    if ((func && lastDotSegment(func) === 'eval') || LOW_QUALITY_JS_PATHS.has(frame.absPath ?? '')) return [];
  }
  const values: string[] = [];
  const module = moduleValue(frame);
  if (module !== undefined) values.push(module);
  else {
    const filename = filenameValue(frame);
    if (filename !== undefined) values.push(filename); // module takes precedence
  }
  const contextLine = contextLineValue(frame);
  const func = functionValue(frame, contextLine !== undefined);
  if (func !== undefined) values.push(func);
  if (contextLine !== undefined) values.push(contextLine);
  return values;
}

const isRecursion = (a: GroupingFrame, b: GroupingFrame | undefined): boolean =>
  b !== undefined &&
  a.absPath === b.absPath &&
  a.package === b.package &&
  a.module === b.module &&
  a.filename === b.filename &&
  a.function === b.function &&
  a.lineno === b.lineno &&
  a.colno === b.colno;

export interface StacktraceVariants {
  app: string[] | null;
  system: string[] | null;
}

/** Both stacktrace variants; `null` where the stacktrace does not contribute. */
export function stacktraceVariants(frames: readonly GroupingFrame[]): StacktraceVariants {
  const app: string[] = [];
  const system: string[] = [];
  let appFrames = 0;
  let systemFrames = 0;
  for (let i = 0; i < frames.length; i++) {
    const frame = frames[i];
    const values = frameValues(frame, isRecursion(frame, frames[i - 1]));
    if (values.length === 0) continue;
    // Sentry's intended rule (Fall-2025 config): a lone JS frame without a function name and
    // without a URL origin is too low quality to group on (`newstyle.py` _single_stacktrace_variant).
    if (
      frames.length === 1 &&
      frame.family === 'javascript' &&
      !frame.function &&
      !hasUrlOrigin(frame.absPath, false)
    ) {
      continue;
    }
    systemFrames++;
    system.push(...values);
    if (frame.inApp) {
      appFrames++;
      app.push(...values);
    }
  }
  return { app: appFrames > 0 ? app : null, system: systemFrames > 0 ? system : null };
}
