import type { NormalizedEvent, SingleException, Stacktrace } from '../digest/event.ts';
import { type GroupingFrame, normalizeFrames } from './frames.ts';

export interface ExceptionView {
  exception: SingleException;
  /** Normalised frames, or null when the exception has no stacktrace. */
  frames: GroupingFrame[] | null;
}

/** The parts of an event grouping and display read, with every stacktrace normalised once. */
export interface EventView {
  exceptions: ExceptionView[];
  stacktrace: GroupingFrame[] | null;
  threadCount: number;
  /** Stacktrace of the thread `threads:v1` groups on: the crashed, else current, else only one. */
  thread: GroupingFrame[] | null;
}

function framesOf(stacktrace: Stacktrace | undefined, platform: string): GroupingFrame[] | null {
  const frames = stacktrace?.frames;
  return Array.isArray(frames) ? normalizeFrames(frames, platform) : null;
}

function pickThread(threads: NonNullable<NormalizedEvent['threads']>['values']) {
  if (threads.length === 1) return threads[0];
  const crashed = threads.filter((t) => t?.crashed === true);
  if (crashed.length === 1) return crashed[0];
  const current = threads.filter((t) => t?.current === true);
  return current.length === 1 ? current[0] : undefined;
}

export function buildEventView(event: NormalizedEvent): EventView {
  const platform = event.platform;
  const values = event.exception?.values ?? [];
  const exceptions: ExceptionView[] = [];
  for (const exception of values) {
    if (exception) exceptions.push({ exception, frames: framesOf(exception.stacktrace, platform) });
  }
  const threads = Array.isArray(event.threads?.values) ? event.threads.values : [];
  return {
    exceptions,
    stacktrace: framesOf(event.stacktrace, platform),
    threadCount: threads.length,
    thread: framesOf(pickThread(threads)?.stacktrace, platform),
  };
}

/**
 * sentry `stacktraces/processing.py` get_crash_frame_from_event_data: in the main exception's
 * stacktrace (else the top-level one, else the only thread's), the newest in-app frame passing
 * `accept`, else the newest frame passing it.
 */
export function findCrashFrame(
  view: EventView,
  accept: (frame: GroupingFrame) => boolean = () => true,
): GroupingFrame | undefined {
  let frames = view.exceptions[view.exceptions.length - 1]?.frames;
  if (!frames?.length) frames = view.stacktrace;
  if (!frames?.length && view.threadCount === 1) frames = view.thread;
  if (!frames) return undefined;
  let fallback: GroupingFrame | undefined;
  for (let i = frames.length - 1; i >= 0; i--) {
    const frame = frames[i];
    if (!accept(frame)) continue;
    if (frame.inApp) return frame;
    fallback ??= frame;
  }
  return fallback;
}
