/**
 * A receiver's URL as the API shows it to people who may read it but not change it: no
 * `user:password@`, and each query value `[Filtered]` (`?token=…` is a credential as often as
 * not). The key names stay, so whoever set it can still tell which URL it is.
 */
export function shownUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return '[Filtered]';
  }
  parsed.username = '';
  parsed.password = '';
  if (parsed.search) {
    const keys = [...parsed.searchParams.keys()];
    parsed.search = keys.map((key) => `${encodeURIComponent(key)}=[Filtered]`).join('&');
  }
  return parsed.toString();
}
