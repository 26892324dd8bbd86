import type { CliIo } from './output.ts';

/**
 * Human output for `firebreak incident`. Titles, bodies and tag values can come from event data
 * anyone with a DSN sent, so everything printed is stripped of control characters (a terminal
 * escape sequence in an error message must not reach the on-call engineer's terminal). Rendering
 * is tolerant: a missing field prints as "—", an unknown one is still shown.
 */

export type Json = Record<string, unknown>;

const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g;

/** One line of untrusted text. */
export function oneLine(value: unknown, max = 200): string {
  if (value === null || value === undefined || value === '') return '—';
  const text = String(value).replace(CONTROL, ' ').replace(/\n/g, ' ').trim();
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Untrusted text that may span lines (timeline bodies, update drafts). */
export function multiLine(value: unknown): string {
  return value === null || value === undefined ? '' : String(value).replace(CONTROL, ' ');
}

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export const asObject = (value: unknown): Json => (isObject(value) ? value : {});
export const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** API times are ISO strings already; epoch milliseconds are converted so every time reads the same. */
export function time(value: unknown): string {
  if (typeof value === 'number' && Number.isFinite(value)) return new Date(value).toISOString();
  return oneLine(value);
}

/** Seconds as `42s`, `12m 05s`, `3h 07m`, `2d 4h`. */
export function duration(seconds: unknown): string {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds)) return '—';
  const s = Math.max(0, Math.round(seconds));
  const pad = (n: number) => String(n).padStart(2, '0');
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${pad(s % 60)}s`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h ${pad(Math.floor((s % 3600) / 60))}m`;
  return `${Math.floor(s / 86_400)}d ${Math.floor((s % 86_400) / 3600)}h`;
}

/** Aligned `key: value` rows; a value with line breaks continues under its first line. */
export function fields(io: CliIo, rows: [string, string][]): void {
  if (rows.length === 0) return;
  const width = Math.max(...rows.map(([k]) => k.length)) + 2;
  for (const [key, value] of rows) {
    const [first, ...rest] = value.split('\n');
    io.out(`${`${key}:`.padEnd(width)}${first}`);
    for (const line of rest) io.out(`${' '.repeat(width)}${line}`);
  }
}

/** Columns padded to their widest cell; the last column is left ragged. */
export function table(io: CliIo, headers: string[], rows: string[][]): void {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  io.out(line(headers));
  for (const row of rows) io.out(line(row));
}

/** A table, or one line saying there is nothing to list. */
export function tableOrNone(io: CliIo, none: string, headers: string[], rows: string[][]): void {
  if (rows.length === 0) io.out(none);
  else table(io, headers, rows);
}

/** A scalar, or a short inline form of a small object/array (`a=1, b=2`). */
export function inline(value: unknown): string {
  if (Array.isArray(value)) return value.length === 0 ? '(none)' : value.map(inline).join(', ');
  if (isObject(value)) {
    return Object.entries(value)
      .filter(([, v]) => v !== null && v !== undefined)
      .map(([k, v]) => `${k}=${inline(v)}`)
      .join(', ');
  }
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return oneLine(value);
}

/** Any JSON as indented `key: value` lines: the fallback that keeps new API fields visible. */
export function tree(io: CliIo, value: unknown, indent = ''): void {
  if (Array.isArray(value)) {
    if (value.length === 0) io.out(`${indent}(none)`);
    for (const item of value) {
      if (!isObject(item) && !Array.isArray(item)) {
        io.out(`${indent}- ${inline(item)}`);
        continue;
      }
      const lines: string[] = [];
      tree({ out: (t) => lines.push(t), err: io.err }, item, `${indent}  `);
      if (lines.length === 0) io.out(`${indent}-`);
      for (const [i, l] of lines.entries()) io.out(i === 0 ? `${indent}- ${l.slice(indent.length + 2)}` : l);
    }
    return;
  }
  if (!isObject(value)) {
    io.out(`${indent}${inline(value)}`);
    return;
  }
  for (const [key, v] of Object.entries(value)) {
    const scalarList = Array.isArray(v) && v.every((x) => !isObject(x) && !Array.isArray(x));
    if ((isObject(v) && Object.keys(v).length > 0) || (Array.isArray(v) && !scalarList)) {
      io.out(`${indent}${key}:`);
      tree(io, v, `${indent}  `);
    } else {
      io.out(`${indent}${key}: ${isObject(v) ? '(none)' : inline(v)}`);
    }
  }
}
