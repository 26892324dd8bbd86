import { createHash, randomBytes } from 'node:crypto';

/** Sentry user-token format: `sntryu_` + 64 hex (sentry-cli src/utils/auth_token/). */
export function generateUserToken(): string {
  return `sntryu_${randomBytes(32).toString('hex')}`;
}

/**
 * Sentry organisation-token format: `sntrys_` + base64(JSON {iat, url, region_url, org}) + `_` +
 * base64-no-pad(32 random bytes). sentry-cli reads the server URL and org out of it.
 */
export function generateOrgToken(input: { url: string; org: string; now: number }): string {
  const claims = { iat: Math.floor(input.now / 1000), url: input.url, region_url: input.url, org: input.org };
  const secret = randomBytes(32).toString('base64').replace(/=+$/, '');
  return `sntrys_${Buffer.from(JSON.stringify(claims)).toString('base64')}_${secret}`;
}

/** Tokens are stored as sha256 only; the full token is shown once. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * What identifies a token on screen. An organisation token starts with the same claims for every
 * token of an organisation, so it is shown by its last characters instead (as Sentry does).
 */
export function tokenPrefix(token: string): string {
  return token.startsWith('sntrys_') ? `sntrys_…${token.slice(-8)}` : token.slice(0, 12);
}
