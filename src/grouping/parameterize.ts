/**
 * Message normalisation for grouping: a port of sentry `grouping/parameterization.py`
 * (DEFAULT_PARAMETERIZATION_REGEXES) and `grouping/utils.py` normalize_message_for_grouping.
 * Patterns keep Sentry's text and order; the Python `(?x)` whitespace is stripped by `compact`.
 * Unlike Python, JS `\b`, `\d` and `\w` are ASCII-only, so digits glued to non-ASCII letters
 * (`Заказ123`) are parameterised here and not in Sentry.
 */

const compact = (pattern: string): string => pattern.replace(/\s+/g, '');

const IPV4_OCTET = '(?:25[0-5]|(?:2[0-4]|1{0,1}[0-9]){0,1}[0-9])';
const IPV4 = String.raw`(?:${IPV4_OCTET}\.){3,3}${IPV4_OCTET}`;
const H = '[0-9a-fA-F]';
const MONTH = '(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)';
const DAY = '(?:Sun|Mon|Tue|Wed|Thu|Fri|Sat)';
const ZONE = '(?:UT|GMT|(?:E|C|M|P)(?:ST|DT)|[A-IK-Z])';
const TLDS =
  'com|net|org|jp|de|uk|fr|br|it|ru|es|me|gov|pl|ca|au|cn|co|in|nl|edu|info|eu|ch|id|at|kr|cz|mx|be|tv|se|tr|tw|' +
  'al|ua|ir|vn|cl|sk|ly|cc|to|no|fi|us|pt|dk|ar|hu|tk|gr|il|news|ro|my|biz|ie|za|nz|sg|ee|th|io|xyz|pe|bg|hk|rs|' +
  'lt|link|ph|club|si|site|mobi|by|cat|wiki|la|ga|xxx|cf|hr|ng|jobs|online|kz|ug|gq|ae|is|lv|pro|fm|tips|ms|sa|app';

const PATTERNS: [name: string, pattern: string][] = [
  // The look-behind is ours: without it a long run of word characters is rescanned from every
  // position looking for an `@` (quadratic on the ingest hot path); it cannot change a match.
  [
    'email',
    String.raw`(?<![a-zA-Z0-9.!#$%&'*+/=?^_\`{|}~-])[a-zA-Z0-9.!#$%&'*+/=?^_\`{|}~-]+@[a-zA-Z0-9-]+(?:\.[a-zA-Z0-9-]+)*`,
  ],
  ['url', String.raw`\b(?:wss?|https?|ftp)://[^\s/$.?#].[^\s]*`],
  // Sentry has `+?` and `\d+` where we cap the repeats below (127 DNS labels, 64 digits): unbounded,
  // each is rescanned from every start position, ~50 ms for an 8 KiB run of `a.a.` or digits.
  ['hostname', String.raw`\b(?:[a-zA-Z0-9\-]{1,63}\.){1,127}?(?:${TLDS.toUpperCase()}|${TLDS})\b`],
  [
    'ip',
    String.raw`(?<![0-9a-zA-Z_])(?:
      (?:${H}{1,4}:){7,7}${H}{1,4}|
      (?:${H}{1,4}:){1,7}:|
      (?:${H}{1,4}:){1,6}:${H}{1,4}|
      (?:${H}{1,4}:){1,5}(?::${H}{1,4}){1,2}|
      (?:${H}{1,4}:){1,4}(?::${H}{1,4}){1,3}|
      (?:${H}{1,4}:){1,3}(?::${H}{1,4}){1,4}|
      (?:${H}{1,4}:){1,2}(?::${H}{1,4}){1,5}|
      ${H}{1,4}:(?:(?::${H}{1,4}){1,6})|
      :(?:(?::${H}{1,4}){1,7}|:)|
      fe80:(?::${H}{0,4}){0,4}%[0-9a-zA-Z]{1,}|
      ::(?:ffff(?::0{1,4}){0,1}:){0,1}${IPV4}|
      (?:${H}{1,4}:){1,4}:${IPV4}\b
    )(?![0-9a-zA-Z])|\b${IPV4}\b`,
  ],
  ['traceparent', String.raw`\b00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]\b|\b1-[0-9a-f]{8}-[0-9a-f]{24}\b`],
  ['uuid', String.raw`\b${H}{8}-${H}{4}-${H}{4}-${H}{4}-${H}{12}\b`],
  ['sha1', String.raw`\b${H}{40}\b`],
  ['md5', String.raw`\b${H}{32}\b`],
  [
    'date',
    String.raw`
      ${DAY},\s\d{1,2}\s${MONTH}\s\d{2,4}\s\d{1,2}:\d{1,2}(?::\d{1,2})?\s(?:[-\+][\d]{2}[0-5][\d]|${ZONE})|
      (?:${DAY}\s)?${MONTH}\s[0-3]\d,\s\d{2,4}|
      (?:Sun|Sunday|Mon|Monday|Tue|Tuesday|Wed|Wednesday|Thu|Thursday|Fri|Friday|Sat|Saturday),
        \s\d{2}-${MONTH}-\d{2}\s\d{2}:\d{2}:\d{2}\s${ZONE}|
      \d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z?(?:[+-]?\d{2}:\d{2})?|
      ${DAY}\s${MONTH}\s\d{2}\s\d{4}\s\d{2}:\d{2}:\d{2}\sGMT[+-]\d{4}(?:\s\([^)]+\))?|
      \d{4}-?[01]\d-?[0-3]\d[\sT][0-2]\d:?[0-5]\d:?[0-5]\d\.\d+(?:[+-][0-2]\d:?[0-5]\d|Z)|
      \d{4}-?[01]\d-?[0-3]\d[\sT][0-2]\d:?[0-5]\d:?[0-5]\d(?:[+-][0-2]\d:?[0-5]\d|Z)|
      \d{4}-?[01]\d-?[0-3]\d[\sT][0-2]\d:?[0-5]\d(?:[+-][0-2]\d:?[0-5]\d|Z)|
      \d{4}-?[01]\d-?[0-3]\d[\sT][0-2]\d:?[0-5]\d:?[0-5]\d\.\d+|
      \d{4}-?[01]\d-?[0-3]\d[\sT][0-2]\d:?[0-5]\d:?[0-5]\d|
      \d{4}-?[01]\d-?[0-3]\d[\sT][0-2]\d:?[0-5]\d|
      (?<!\d)(?:[1-9]|1[0-2]):[0-5]\d(?::[0-5]\d)?(?![\d:])(?:\s?[aApP][Mm])?|
      (?<!\d)(?:0?\d|1\d|2[0-3]):[0-5]\d(?::[0-5]\d)?(?![\d:])|
      \d{4}-[01]\d-[0-3]\d|
      [0-2]\d:[0-5]\d:[0-5]\d|
      \b(?:${DAY}\s+)?${MONTH}\s+[\d]{1,2}\s+[\d]{2}:[\d]{2}:[\d]{2}\s+[\d]{4}|
      \b(?:${DAY},\s+)?(?:0[1-9]|[1-2]?[\d]|3[01])\s+${MONTH}\s+(?:19[\d]{2}|[2-9][\d]{3})\s+
        (?:2[0-3]|[0-1][\d]):[0-5][\d](?::(?:60|[0-5][\d]))?\s+(?:[-\+][\d]{2}[0-5][\d]|${ZONE})|
      datetime.datetime\(.*?\)`,
  ],
  ['duration', String.raw`\b\d+ms|\d{1,64}(?:\.\d+)?s\b`],
  ['swift_txn_id', String.raw`\btx[0-9a-f]{21}-[0-9a-f]{10}\S*`],
  [
    'hex',
    String.raw`\b0[xX][0-9a-fA-F]+\b|\b(?=[a-f]*[0-9])[0-9a-f]{8,128}\b|\b(?=[A-F]*[0-9])[0-9A-F]{8,128}\b`,
  ],
  ['git_sha', String.raw`\b(?=[a-f]*[0-9])(?=[0-9]*[a-f])[0-9a-f]{7}\b`],
  ['float', String.raw`-\d+\.\d+\b|\b\d+\.\d+\b`],
  ['int', String.raw`(?:\b|(?<!\w)-)\d{1,7}\b`],
  ['quoted_str', `(?<==)(?:'[^']+'|"[^"]+")`],
  ['bool', '(?<==)(?:True|true|False|false)'],
];

const PARAMETER_NAMES = PATTERNS.map(([name]) => name);
const PLACEHOLDERS = PARAMETER_NAMES.map((name) => `<${name}>`);
const PARAMETER_REGEX = new RegExp(
  PATTERNS.map(([name, pattern]) => `(?<${name}>${compact(pattern)})`).join('|'),
  'g',
);

// Python str.splitlines() boundaries.
const LINE_BREAK = /\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/;

function replaceParameter(...args: unknown[]): string {
  const groups = args[args.length - 1] as Record<string, string | undefined>;
  for (let i = 0; i < PARAMETER_NAMES.length; i++) {
    if (groups[PARAMETER_NAMES[i]] !== undefined) return PLACEHOLDERS[i];
  }
  return '';
}

/** Replace variable parts (ids, numbers, dates, …) with `<name>` placeholders. */
export function parameterize(text: string): string {
  return text.replace(PARAMETER_REGEX, replaceParameter);
}

/** Keep the first two non-blank lines (marking a cut with `...`), then parameterise. */
export function normalizeMessageForGrouping(message: string): string {
  let trimmed = message;
  if (LINE_BREAK.test(message) || message.trim() === '') {
    const kept: string[] = [];
    for (const line of message.split(LINE_BREAK)) {
      if (line.trim() === '') continue;
      kept.push(line);
      if (kept.length === 2) break;
    }
    trimmed = kept.join('\n');
  }
  if (trimmed !== message) trimmed += '...';
  return parameterize(trimmed);
}
