import type { NormalizedEvent, SingleException } from '../digest/event.ts';
import { textOf } from '../validation.ts';
import type { EventView } from './event-view.ts';
import { type StacktraceVariants, stacktraceVariants } from './frame-component.ts';
import type { GroupingFrame } from './frames.ts';
import { normalizeMessageForGrouping } from './parameterize.ts';

/** Contributing leaf values of one variant's component tree; null when it does not contribute. */
export interface Variants {
  app?: string[] | null;
  default?: string[] | null;
  system?: string[] | null;
}

const NO_STACKTRACE: StacktraceVariants = { app: null, system: null };

interface ExceptionVariant {
  values: string[];
  hasStacktrace: boolean;
}

/**
 * `single-exception:v1` (sentry `grouping/strategies/newstyle.py`) for the app and system
 * stacktrace variants, children in the 2025 order type, value, ns-error, stacktrace. The value only
 * counts when neither the stacktrace nor ns-error does ("stacktrace takes precedence").
 */
function exceptionVariants(
  exception: SingleException,
  stack: StacktraceVariants,
): [app: ExceptionVariant, system: ExceptionVariant] {
  const type =
    exception.mechanism?.synthetic !== true && typeof exception.type === 'string' ? exception.type : '';
  const nsError = exception.mechanism?.meta?.ns_error as { domain?: unknown; code?: unknown } | undefined;
  const nsErrorValues: string[] = [];
  if (nsError && typeof nsError === 'object') {
    if (nsError.domain != null) nsErrorValues.push(textOf(nsError.domain));
    if (nsError.code != null) nsErrorValues.push(textOf(nsError.code));
  }
  let value: string | undefined;
  const build = (stacktrace: string[] | null): ExceptionVariant => {
    const values: string[] = type ? [type] : [];
    if (stacktrace === null && nsErrorValues.length === 0 && typeof exception.value === 'string') {
      value ??= normalizeMessageForGrouping(exception.value);
      if (value) values.push(value);
    }
    values.push(...nsErrorValues);
    if (stacktrace !== null) values.push(...stacktrace);
    return { values, hasStacktrace: stacktrace !== null };
  };
  return [build(stack.app), build(stack.system)];
}

/**
 * sentry `grouping/strategies/utils.py` remove_non_stacktrace_variants: once any variant groups on
 * a stacktrace, variants without one stop contributing, so an error with only system frames gets
 * the system hash alone rather than an app hash of type + message.
 */
function dropVariantsWithoutStacktrace(app: ExceptionVariant, system: ExceptionVariant): Variants {
  const anyStacktrace = app.hasStacktrace || system.hasStacktrace;
  const keep = (v: ExceptionVariant) =>
    v.values.length > 0 && (!anyStacktrace || v.hasStacktrace) ? v.values : null;
  return { app: keep(app), system: keep(system) };
}

/**
 * `chained-exception:v1`: every exception in payload order. Exception groups (RFC 0079) are not
 * reduced to their distinct top-level leaves as Sentry does; all members contribute.
 */
function chainedExceptionStrategy(view: EventView): Variants | undefined {
  if (view.exceptions.length === 0) return undefined;
  const app: ExceptionVariant = { values: [], hasStacktrace: false };
  const system: ExceptionVariant = { values: [], hasStacktrace: false };
  for (const { exception, frames } of view.exceptions) {
    const [appPart, systemPart] = exceptionVariants(
      exception,
      frames ? stacktraceVariants(frames) : NO_STACKTRACE,
    );
    app.values.push(...appPart.values);
    app.hasStacktrace ||= appPart.hasStacktrace;
    system.values.push(...systemPart.values);
    system.hasStacktrace ||= systemPart.hasStacktrace;
  }
  return dropVariantsWithoutStacktrace(app, system);
}

/** `threads:v1` and top-level `stacktrace:v1`: a stacktrace alone, app and system variants. */
const stacktraceStrategy = (frames: GroupingFrame[] | null): Variants | undefined =>
  frames ? stacktraceVariants(frames) : undefined;

/** `message:v1`: the template is preferred over the formatted message. */
function messageStrategy(event: NormalizedEvent): Variants | undefined {
  const raw = event.logentry?.message || event.logentry?.formatted;
  if (typeof raw !== 'string' || raw === '') return undefined;
  return { default: [normalizeMessageForGrouping(raw)] };
}

const contributes = (variants: Variants | undefined): variants is Variants =>
  variants !== undefined && Boolean(variants.app || variants.default || variants.system);

/**
 * Strategies by priority (sentry `grouping/strategies/configurations.py`): the first one with a
 * contributing variant wins and later ones are ignored. Undefined when nothing contributes.
 */
export function runStrategies(event: NormalizedEvent, view: EventView): Variants | undefined {
  const chained = chainedExceptionStrategy(view);
  if (contributes(chained)) return chained;
  const threads = stacktraceStrategy(view.thread);
  if (contributes(threads)) return threads;
  const stacktrace = stacktraceStrategy(view.stacktrace);
  if (contributes(stacktrace)) return stacktrace;
  const message = messageStrategy(event);
  return contributes(message) ? message : undefined;
}
