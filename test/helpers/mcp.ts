import { createRequire } from 'node:module';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';

/** `node_modules/@sentry/mcp-server/dist/index.js`, the package's `sentry-mcp` bin. */
export const SENTRY_MCP_BIN = createRequire(import.meta.url).resolve('@sentry/mcp-server');

export interface ToolAnswer {
  isError: boolean;
  /** The concatenated text content: markdown, or JSON for the `find_*` tools. */
  text: string;
  structured: unknown;
}

export interface SentryMcp {
  client: Client;
  /** Calls a catalog tool: directly when `tools/list` has it, else through `execute_sentry_tool`. */
  call(name: string, args: Record<string, unknown>): Promise<ToolAnswer>;
  /** What the server printed on stderr so far (startup warnings, crashes). */
  stderr(): string;
  close(): Promise<void>;
}

const TIMEOUT_MS = 30_000;

/**
 * Spawns Sentry's MCP server over stdio against a Firebreak URL, the way docs/sentry-mcp.md
 * describes: `--host` + `--insecure-http` for plain http, the token, and a clean environment.
 * The clean environment is the point: without OPENAI/ANTHROPIC/OPENROUTER keys the search tools
 * send `query` to Firebreak verbatim, and without SENTRY_DSN/SENTRY_URL the server neither
 * reports its own telemetry nor refuses to start.
 */
export async function startSentryMcp(
  firebreakUrl: string,
  token: string,
  extraArgs: string[] = [],
): Promise<SentryMcp> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [
      SENTRY_MCP_BIN,
      `--access-token=${token}`,
      `--host=${new URL(firebreakUrl).host}`,
      '--insecure-http',
      ...extraArgs,
    ],
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp' },
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  const client = new Client({ name: 'firebreak-test', version: '0.0.0' });
  try {
    await client.connect(transport, { timeout: TIMEOUT_MS });
  } catch (error) {
    await transport.close();
    throw new Error(`the MCP server did not start: ${error}\n${stderr}`);
  }
  const listed = new Set(
    (await client.listTools(undefined, { timeout: TIMEOUT_MS })).tools.map((t) => t.name),
  );

  return {
    client,
    stderr: () => stderr,
    close: () => client.close(),
    async call(name, args) {
      const request = listed.has(name)
        ? { name, arguments: args }
        : { name: 'execute_sentry_tool', arguments: { name, arguments: args } };
      const result = await client.callTool(request, undefined, { timeout: TIMEOUT_MS });
      const content = (result.content ?? []) as Array<{ type: string; text?: string }>;
      return {
        isError: result.isError === true,
        text: content.map((part) => part.text ?? '').join('\n'),
        structured: result.structuredContent,
      };
    },
  };
}
