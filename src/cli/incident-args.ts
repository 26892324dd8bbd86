import type { ParseArgsOptionsConfig } from 'node:util';
import { AppError } from '../app-error.ts';
import { parseIsoDate } from '../iso-dates.ts';
import { INCIDENT_STATUSES } from '../store/types-incidents.ts';
import type { ApiRequest } from './api-client.ts';
import type { Env } from './connect.ts';
import type { CliIo } from './output.ts';

/**
 * One `firebreak incident` verb as data: its options, how its arguments become exactly one REST
 * request (`plan`, pure, so argument handling is testable without a server) and how the answer is
 * shown to a person (`render`; `--json` prints the answer as it came).
 */
export interface Verb {
  /** Arguments after the verb, for `--help`: `REF [--kind note|…] TEXT…`. */
  usage: string;
  summary: string;
  options: ParseArgsOptionsConfig;
  plan(input: VerbInput): ApiRequest;
  render(io: CliIo, answer: unknown, input: VerbInput, page: { nextCursor: string | null }): void;
  /** The exit code a successful answer means, when it reports a failure (a test send that failed). */
  exitCode?(answer: unknown): number;
  /**
   * For a change that names only part of a whole the API replaces (a rule's conditions, filters,
   * actions): the resource is read first (GET of the request's path) and this folds the request
   * into it, so what the flags did not name stays as it was.
   */
  merge?(current: unknown, request: ApiRequest): ApiRequest;
}

export type Values = Record<string, string | boolean | (string | boolean)[] | undefined>;

export interface VerbInput {
  values: Values;
  positionals: string[];
  org: string;
  env: Env;
}

/** Thrown while reading arguments; the command prints it with the verb's usage and exits 2. */
export class UsageError extends AppError {
  constructor(message: string) {
    super('VALIDATION', message);
    this.name = 'UsageError';
  }
}

/** `INC-7`, `inc-7`, `#7` or `7` → `7` (the API takes either; the number is the unambiguous one). */
export function parseRef(text: string | undefined): string {
  const match = /^(?:INC-?|#)?(\d{1,15})$/i.exec(text?.trim() ?? '');
  if (!match) {
    throw new UsageError(
      text === undefined ? 'name the incident (INC-7 or 7)' : `"${text}" is not an incident (INC-7 or 7)`,
    );
  }
  return String(Number(match[1]));
}

const seg = (part: string) => encodeURIComponent(part);

export function orgPath(org: string, ...parts: string[]): string {
  return `/api/0/organizations/${[org, ...parts].map(seg).join('/')}/`;
}

export function projectPath(org: string, project: string, ...parts: string[]): string {
  return `/api/0/projects/${[org, project, ...parts].map(seg).join('/')}/`;
}

export function incidentPath(input: VerbInput, ...parts: string[]): string {
  return orgPath(input.org, 'incidents', parseRef(input.positionals[0]), ...parts);
}

export function str(values: Values, name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}

/** Repeatable and comma-separated (`--service api --service web` or `--service api,web`). */
export function list(values: Values, name: string): string[] | undefined {
  const value = values[name];
  if (value === undefined) return undefined;
  const all = (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string');
  return all
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);
}

/** Required positional argument at `index` (0 is the incident ref). */
export function arg(input: VerbInput, index: number, name: string): string {
  const value = input.positionals[index];
  if (value === undefined || value === '') throw new UsageError(`missing ${name}`);
  return value;
}

/** Free text that may be typed unquoted: the positionals from `from` on, joined by spaces. */
export function restText(input: VerbInput, from: number): string | undefined {
  const text = input.positionals.slice(from).join(' ').trim();
  return text === '' ? undefined : text;
}

export function noExtraArgs(input: VerbInput, expected: number): void {
  if (input.positionals.length > expected) {
    throw new UsageError(`unexpected argument "${input.positionals[expected]}"`);
  }
}

/** An ISO 8601 time, normalised to UTC `Z` as the API answers it. */
export function isoTime(values: Values, name: string): string | undefined {
  const text = str(values, name);
  if (text === undefined) return undefined;
  const ms = parseIsoDate(text);
  if (ms === null) {
    throw new UsageError(
      `--${name} "${text}" is not an ISO time that exists (2025-01-31T14:05:00Z; UTC unless a zone is given)`,
    );
  }
  return new Date(ms).toISOString();
}

export function positiveInt(values: Values, name: string): number | undefined {
  const text = str(values, name);
  if (text === undefined) return undefined;
  if (!/^\d{1,9}$/.test(text) || Number(text) === 0) {
    throw new UsageError(`--${name} must be a positive whole number, not "${text}"`);
  }
  return Number(text);
}

/** `--ticket ''` clears a link field (null), as opposed to leaving it unchanged (absent). */
export function clearable(values: Values, name: string): string | null | undefined {
  const text = str(values, name);
  return text === undefined ? undefined : text.trim() === '' ? null : text;
}

/** Drops undefined keys so a body carries only what the user set. */
export function defined<T extends Record<string, unknown>>(body: T): Partial<T> {
  return Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export function oneOf(values: Values, name: string, allowed: readonly string[]): string | undefined {
  const text = str(values, name);
  if (text !== undefined && !allowed.includes(text)) {
    throw new UsageError(`--${name} must be one of ${allowed.join(', ')}, not "${text}"`);
  }
  return text;
}

/** One of the lifecycle statuses, checked here so a typo gets the list rather than a round trip. */
export function incidentStatus(text: string, what: string): string {
  if (!(INCIDENT_STATUSES as readonly string[]).includes(text)) {
    throw new UsageError(`${what} must be one of ${INCIDENT_STATUSES.join(', ')}, not "${text}"`);
  }
  return text;
}
