/** The `sdk`, `modules` and envelope header `@sentry/node` 11.12.0 sends (reference/sentry-clients.md §4). */

export const SDK_VERSION = '11.12.0';
export const SDK_CLIENT = `sentry.javascript.node/${SDK_VERSION}`;

export const SDK = {
  integrations: [
    'EventFilters',
    'FunctionToString',
    'LinkedErrors',
    'Dedupe',
    'RequestData',
    'NodeSystemError',
    'ConversationId',
    'Console',
    'Http',
    'NodeFetch',
    'OnUncaughtException',
    'OnUnhandledRejection',
    'ContextLines',
    'LocalVariablesAsync',
    'AwsLambdaWeb',
    'Context',
    'ChildProcess',
    'WorkerThreads',
    'ProcessSession',
    'Modules',
    'Express',
    'Fastify',
    'Hapi',
    'Hono',
    'Koa',
    'Nitro',
    'SpanStreaming',
  ],
  name: 'sentry.javascript.node',
  version: SDK_VERSION,
  packages: [{ name: 'npm:@sentry/node', version: SDK_VERSION }],
};

export const MODULES: Record<string, string> = Object.fromEntries([
  ['@sentry/node', '11.12.0'],
  ['express', '4.21.2'],
  ['body-parser', '1.20.3'],
  ['pg', '8.13.1'],
  ['pg-pool', '3.7.0'],
  ['ioredis', '5.4.1'],
  ['zod', '3.23.8'],
  ['jsonwebtoken', '9.0.2'],
  ['dotenv', '16.4.5'],
  ['pino', '9.5.0'],
  ['lodash', '4.17.21'],
  ['stripe', '17.4.0'],
]);

/** Envelope header fields after event_id and sent_at, without the closing brace. */
export function sdkEnvelopeHeader(input: {
  release: string;
  environment: string;
  publicKey: string;
  traceId: string;
}): string {
  const sdk = { name: SDK.name, version: SDK_VERSION };
  const { environment, release, publicKey, traceId } = input;
  const trace = { environment, release, public_key: publicKey, trace_id: traceId };
  return `"sdk":${JSON.stringify(sdk)},"trace":${JSON.stringify(trace)}`;
}
