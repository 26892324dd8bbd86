import assert from 'node:assert/strict';
import { tickDetectors } from '../../src/detect/ticker.ts';
import type { SetupResult } from '../../src/projects/setup-project.ts';
import type { TestServer } from './server.ts';

/** An error event of its own issue (one frame named after the type), at `at` (epoch ms). */
export const errorEvent = (type: string, value: string, at: number, extra: Record<string, unknown> = {}) => ({
  level: 'error',
  timestamp: at / 1000,
  exception: {
    values: [{ type, value, stacktrace: { frames: [{ function: type, filename: `${type}.js` }] } }],
  },
  ...extra,
});

/** One detector pass at the server's (manual) clock. */
export const tick = (t: TestServer) => tickDetectors(t.server.ctx);

/** Posts one envelope with the given items (header + JSON payload each); expects 200. */
export async function sendEnvelope(
  t: TestServer,
  setup: SetupResult,
  items: [string, unknown][],
): Promise<void> {
  const url = `${t.url}/api/${setup.projectId}/envelope/?sentry_key=${new URL(setup.dsn).username}`;
  const body = [
    '{}',
    ...items.flatMap(([type, payload]) => [JSON.stringify({ type }), JSON.stringify(payload)]),
  ].join('\n');
  const response = await fetch(url, { method: 'POST', body });
  assert.equal(response.status, 200, await response.clone().text());
}

/** A `session` item as browser SDKs send it. */
export function sessionItem(
  sid: string,
  fields: {
    release: string;
    environment?: string;
    did?: string;
    init?: boolean;
    status?: string;
    errors?: number;
    started: number;
  },
) {
  return {
    sid,
    did: fields.did,
    init: fields.init ?? false,
    started: new Date(fields.started).toISOString(),
    timestamp: new Date(fields.started).toISOString(),
    status: fields.status ?? 'ok',
    errors: fields.errors ?? 0,
    attrs: { release: fields.release, environment: fields.environment ?? 'production' },
  };
}
