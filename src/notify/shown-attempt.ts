import { ANSWERED, splitLegacyDetail } from '../outgoing/reply-excerpt.ts';
import type { DeliveryAttempt } from '../store/types-notifications.ts';

/**
 * The status lines of details written before replies were kept apart, each before ": <reply>":
 * HTTP ("host answered 503"), an SMTP acceptance, an SMTP failure ("host:587 EENVELOPE").
 */
const LEGACY_STATUS = new RegExp(
  `${ANSWERED.source}|^\\S+ accepted for \\d+ of \\d+ recipients(?=: |$)|^\\S+:\\d+ [A-Z][A-Z_]+(?=: )`,
);

/** An attempt as shown: its reply's excerpt only when `showsReply`. */
export function shownAttempt(attempt: DeliveryAttempt, showsReply: boolean): DeliveryAttempt {
  const { detail, excerpt } =
    attempt.excerpt === null
      ? splitLegacyDetail(attempt.detail, LEGACY_STATUS)
      : { detail: attempt.detail, excerpt: attempt.excerpt };
  return { ...attempt, detail, excerpt: showsReply ? excerpt : null };
}

/** A delivery's last error is an attempt's detail: the status line alone. */
export function shownLastError(lastError: string | null): string | null {
  return lastError === null ? null : splitLegacyDetail(lastError, LEGACY_STATUS).detail;
}
