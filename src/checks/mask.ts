/** Secrets are shown only as a recognisable stub; server text is treated as untrusted. */

export interface ParsedDsn {
  protocol: string;
  publicKey: string;
  secretKey: string | null;
  /** host[:port] plus any path prefix before the project id. */
  host: string;
  pathPrefix: string;
  projectId: string;
}

/** `{protocol}://{public_key}[:{secret}]@{host}[/path]/{project_id}` (reference/sentry-protocol.md §1.1). */
export function parseDsn(dsn: string): ParsedDsn | null {
  let url: URL;
  try {
    url = new URL(dsn);
  } catch {
    return null;
  }
  const segments = url.pathname.split('/').filter(Boolean);
  const projectId = segments.pop();
  if (!url.username || !projectId || !/^\d+$/.test(projectId)) return null;
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  return {
    protocol: url.protocol.slice(0, -1),
    publicKey: decodeURIComponent(url.username),
    secretKey: url.password ? decodeURIComponent(url.password) : null,
    host: url.host,
    pathPrefix: segments.length ? `/${segments.join('/')}` : '',
    projectId,
  };
}

/** `https://1a2b…@o1.ingest.sentry.io/42`: the key's first four characters, never the secret. */
export function maskDsn(dsn: string): string {
  const parsed = parseDsn(dsn);
  if (!parsed) return '(unparseable DSN)';
  return `${parsed.protocol}://${parsed.publicKey.slice(0, 4)}…@${parsed.host}${parsed.pathPrefix}/${parsed.projectId}`;
}

/** `sntryu_…9f3c`: the kind prefix and the last four characters. */
export function maskToken(token: string): string {
  const prefix = /^(sntry[a-z]_)/.exec(token)?.[1] ?? '';
  if (token.length < 16) return `${prefix}…`;
  return `${prefix}…${token.slice(-4)}`;
}

/** Replaces any whole secret that slipped into a line (defence in depth for server-echoed text). */
export function redactSecrets(text: string, secrets: (string | null)[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret && secret.length >= 8) out = out.split(secret).join('[redacted]');
  }
  return out;
}

/**
 * Issue titles, release names and error details come from whoever holds a DSN or runs the
 * server: control characters (terminal escapes) go, and the text is cut to a bounded length.
 */
export function cleanText(text: unknown, max = 100): string {
  const flat = String(text ?? '')
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ')
    .trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
