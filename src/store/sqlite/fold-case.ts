import type { SQLOutputValue } from 'node:sqlite';

/**
 * SQLite's `lower()` and `LIKE` fold ASCII letters only, where PostgreSQL's `lower()` and `ILIKE`
 * fold every script: `fold_case(x)` is the Unicode fold, for case-insensitive text matching that
 * agrees across backends (`Ünïcode` found by `ünïcode`).
 */
export function foldCase(value: SQLOutputValue): SQLOutputValue {
  return typeof value === 'string' ? value.toLowerCase() : value;
}

/** Case-insensitive `LIKE` (escape `\`): SQLite's own where the pattern is ASCII, the Unicode fold otherwise. */
export function sqliteILike(expr: string, placeholder: string, pattern: string): string {
  return /^\p{ASCII}*$/u.test(pattern)
    ? `${expr} LIKE ${placeholder} ESCAPE '\\'`
    : `fold_case(${expr}) LIKE fold_case(${placeholder}) ESCAPE '\\'`;
}
