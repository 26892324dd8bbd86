import type { NormalizedEvent } from '../digest/event.ts';
import { type EventView, findCrashFrame } from './event-view.ts';

/** sentry `grouping/fingerprinting/utils.py`: a whole entry of the form `{{ name }}`. */
const VARIABLE = /^\{\{\s*(\S+)\s*\}\}$/;

export type FingerprintKind = 'default' | 'hybrid' | 'custom';

/** A resolved fingerprint; `null` entries stand for `{{ default }}`. */
export type ResolvedFingerprint = (string | null)[];

const variableName = (entry: string): string | undefined => VARIABLE.exec(entry)?.[1];

export function fingerprintKind(fingerprint: readonly string[]): FingerprintKind {
  let defaults = 0;
  for (const entry of fingerprint) if (variableName(entry) === 'default') defaults++;
  if (defaults === 0) return 'custom';
  return fingerprint.length === 1 ? 'default' : 'hybrid';
}

const lastException = (event: NormalizedEvent) => {
  const values = event.exception?.values;
  return values?.[values.length - 1];
};

/** sentry `grouping/utils.py` resolve_fingerprint_variable; undefined when not a known variable. */
function resolveVariable(name: string, event: NormalizedEvent, view: EventView): string | undefined {
  switch (name) {
    case 'transaction':
      return event.transaction || '<no-transaction>';
    case 'message':
      return (
        event.logentry?.formatted || event.logentry?.message || lastException(event)?.value || '<no-message>'
      );
    case 'type':
    case 'error.type':
      return lastException(event)?.type || '<no-type>';
    case 'value':
    case 'error.value':
      return lastException(event)?.value || '<no-value>';
    case 'function':
    case 'stack.function':
      return findCrashFrame(view)?.function || '<no-function>';
    case 'path':
    case 'stack.abs_path': {
      const frame = findCrashFrame(view);
      return frame?.absPath || frame?.filename || '<no-abs-path>';
    }
    case 'stack.filename': {
      const frame = findCrashFrame(view);
      return frame?.filename || frame?.absPath || '<no-filename>';
    }
    case 'module':
    case 'stack.module':
      return findCrashFrame(view)?.module || '<no-module>';
    case 'package':
    case 'stack.package': {
      const pkg = findCrashFrame(view)?.package;
      return pkg?.split('/').pop()?.split('\\').pop() || '<no-package>';
    }
    case 'level':
      return event.level || '<no-level>';
    case 'logger':
      return event.logger || '<no-logger>';
  }
  if (name.startsWith('tags.')) {
    const tag = name.slice(5);
    const value = Object.hasOwn(event.tags, tag) ? event.tags[tag] : undefined;
    return typeof value === 'string' ? value : `<no-value-for-tag-${tag}>`;
  }
  return undefined;
}

/** Resolve `{{ … }}` variables; unknown variables stay verbatim (Sentry's 2023-01-11 config). */
export function resolveFingerprint(
  fingerprint: readonly string[],
  event: NormalizedEvent,
  view: EventView,
): ResolvedFingerprint {
  return fingerprint.map((entry) => {
    const name = variableName(entry);
    if (name === undefined) return entry;
    if (name === 'default') return null;
    return resolveVariable(name, event, view) ?? entry;
  });
}
