import type { AppContext } from '../context.ts';
import type { NormalizedEvent } from '../digest/event.ts';
import { decodePayload } from '../digest/payload.ts';
import { buildEventView, findCrashFrame } from '../grouping/event-view.ts';

/** The frame the error was raised in: the newest in-app frame of the main exception. */
export interface TopFrame {
  eventId: string;
  filename: string | null;
  absPath: string | null;
  module: string | null;
  function: string | null;
  lineno: number | null;
  colno: number | null;
  contextLine: string | null;
  /** False when no frame is in-app and the newest frame stands in. */
  inApp: boolean;
}

const MAX_TEXT = 500;
const text = (value: string | undefined): string | null => (value ? value.slice(0, MAX_TEXT) : null);
const integer = (value: unknown): number | null => (Number.isInteger(value) ? (value as number) : null);

/**
 * Sentry's crash frame (`get_crash_frame_from_event_data`): in the main exception's stacktrace,
 * else the event's, the newest in-app frame, else the newest frame.
 */
export function topFrameOf(eventId: string, event: NormalizedEvent): TopFrame | null {
  const frame = findCrashFrame(buildEventView(event));
  if (!frame) return null;
  return {
    eventId,
    filename: text(frame.filename),
    absPath: text(frame.absPath),
    module: text(frame.module),
    function: text(frame.function),
    lineno: integer(frame.lineno),
    colno: integer(frame.colno),
    contextLine: text(frame.contextLine),
    inApp: frame.inApp,
  };
}

/**
 * The issue's latest stored event, decoded (null when retention left none): of `environment`
 * when it has one there (triage's counted environment), else of any.
 */
export async function latestEvent(
  ctx: AppContext,
  issueId: number,
  environment: string | null = null,
): Promise<{ eventId: string; event: NormalizedEvent } | null> {
  const stored =
    (environment === null ? null : await ctx.store.events.latestForIssue(issueId, environment)) ??
    (await ctx.store.events.latestForIssue(issueId));
  return stored ? { eventId: stored.eventId, event: decodePayload(stored) } : null;
}
