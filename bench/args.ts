/** Command-line values shared by the bench scripts. */

/** `--flag`'s value as a number above zero, or an error naming the flag. */
export function positiveNumber(flag: string, value: string): number {
  const number = Number(value);
  if (!(number > 0)) throw new Error(`--${flag} must be a positive number`);
  return number;
}
