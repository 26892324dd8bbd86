/** Text handling shared by both backends' SQL. */

/** LIKE's own wildcards (and its escape, backslash) in `text` made literal; use with ESCAPE '\'. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** `*` is Sentry's wildcard; LIKE's own wildcards in the value are literal. */
export function likePattern(glob: string): string {
  return escapeLike(glob).replaceAll('*', '%');
}
