/** `{protocol}://{public_key}@{host}[:port][/path]/{project_id}` (reference §1.1). */
export function dsnOf(publicUrl: string, publicKey: string, projectId: number): string {
  const url = new URL(publicUrl);
  const path = url.pathname.replace(/\/$/, '');
  return `${url.protocol}//${publicKey}@${url.host}${path}/${projectId}`;
}
