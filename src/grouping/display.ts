import type { NormalizedEvent } from '../digest/event.ts';
import { type EventView, findCrashFrame } from './event-view.ts';
import type { GroupingFrame } from './frames.ts';

export interface EventMetadata {
  type?: string;
  value?: string;
  filename?: string;
  function?: string;
  title?: string;
}

export interface EventDisplay {
  title: string;
  culprit: string;
  type: 'error' | 'default';
  metadata: EventMetadata;
}

const MAX_CULPRIT_LENGTH = 200;
const LINE_BREAK = /\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/;

/** sentry `utils/strings.py` truncatechars / `utils/safe.py` trim: the result fits in `max`. */
function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 3)}...` : text;
}

const firstLine = (text: string): string => text.split(LINE_BREAK, 1)[0];

/** sentry `eventtypes/error.py` get_crash_location: frames with a usable function name only. */
const hasKnownFunction = (frame: GroupingFrame): boolean =>
  frame.function !== undefined && frame.function !== '<redacted>' && frame.function !== '<unknown>';

function describeError(event: NormalizedEvent, view: EventView): EventDisplay {
  const { exception } = view.exceptions[view.exceptions.length - 1];
  const synthetic = exception.mechanism?.synthetic === true;
  const metadata: EventMetadata = {};
  if (!synthetic)
    metadata.type = truncate(
      typeof exception.type === 'string' && exception.type ? exception.type : 'Error',
      128,
    );
  metadata.value = truncate(typeof exception.value === 'string' ? exception.value : '', 1024);
  const crash = findCrashFrame(view, hasKnownFunction);
  if (crash?.filename) metadata.filename = crash.filename;
  if (crash?.function) metadata.function = crash.function;

  let title: string;
  if (metadata.type === undefined) title = metadata.function ?? '<unknown>';
  else if (metadata.value) title = `${metadata.type}: ${truncate(firstLine(metadata.value), 100)}`;
  else title = metadata.type;
  return { title, culprit: describeCulprit(event, view, synthetic), type: 'error', metadata };
}

function describeMessage(event: NormalizedEvent, view: EventView): EventDisplay {
  const message = (event.logentry?.formatted || event.logentry?.message || '').trim();
  const title = message ? truncate(firstLine(message), 100) : '<unlabeled event>';
  return { title, culprit: describeCulprit(event, view, false), type: 'default', metadata: { title } };
}

/** sentry `culprit.py` get_frame_culprit, in the "{module or filename} in {function}" form. */
function frameCulprit(frame: GroupingFrame): string {
  if (frame.family === 'native') return frame.function ?? '?';
  const location = frame.module ?? frame.filename;
  return location ? `${location} in ${frame.function ?? '?'}` : '';
}

/** sentry `culprit.py` generate_culprit: transaction, else the crash location, else the URL. */
function describeCulprit(event: NormalizedEvent, view: EventView, synthetic: boolean): string {
  if (event.transaction) return truncate(event.transaction, MAX_CULPRIT_LENGTH);
  if (synthetic) return '';
  let frames: GroupingFrame[] | null = null;
  if (view.exceptions.length > 0) {
    for (const { frames: candidate } of view.exceptions) if (candidate?.length) frames = candidate;
  } else if (view.stacktrace?.length) {
    frames = view.stacktrace;
  }
  let culprit = '';
  if (frames) {
    let fallback: string | undefined;
    for (let i = frames.length - 1; i >= 0; i--) {
      const frame = frames[i];
      if (frame.inApp) {
        culprit = frameCulprit(frame);
        if (culprit) break;
      } else {
        fallback ??= frameCulprit(frame);
      }
    }
    culprit ||= fallback ?? '';
  }
  if (!culprit && typeof event.request?.url === 'string') culprit = event.request.url;
  return truncate(culprit, MAX_CULPRIT_LENGTH);
}

/** Title, culprit, type and metadata as Sentry derives them (`eventtypes/error.py`, `base.py`). */
export function describeEvent(event: NormalizedEvent, view: EventView): EventDisplay {
  if (view.exceptions.length === 0 || isMessageWithStack(event, view)) return describeMessage(event, view);
  return describeError(event, view);
}

/**
 * @sentry/node ≥ 10 sends captureMessage() as a synthetic exception carrying the call stack
 * (captured in reference/sentry-clients.md §4). It is still a message: title it by the message.
 */
function isMessageWithStack(event: NormalizedEvent, view: EventView): boolean {
  const main = view.exceptions[view.exceptions.length - 1].exception;
  return main.mechanism?.synthetic === true && Boolean(event.logentry?.formatted || event.logentry?.message);
}
