import type { z } from 'zod';
import { invalid } from './app-error.ts';

/**
 * Parses a boundary input with its schema; the first problem is a VALIDATION error naming the
 * field, or `whole` when the input itself is wrong (e.g. an array where an object belongs).
 */
export function parseInput<T extends z.ZodType>(schema: T, input: unknown, whole = 'input'): z.infer<T> {
  const parsed = schema.safeParse(input ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw invalid(`invalid ${issue.path.join('.') || whole}: ${issue.message}`);
}

/** Untrusted text quoted in an error message, cut so the message stays bounded. */
export function clip(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/**
 * String(value) for parsed JSON, which cannot fail on what JSON.parse made except an object whose
 * own `toString` (and `valueOf`) is not a function: `{"toString": 1}` made String() throw and the
 * event answer 500. Such an object is written as JSON; everything else keeps String()'s text, so
 * grouping hashes of events that worked before do not change.
 */
export function textOf(value: unknown): string {
  try {
    return String(value);
  } catch {
    return JSON.stringify(value) ?? '';
  }
}
