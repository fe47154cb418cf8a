import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import {
  StreamableHTTPClientTransport,
  StreamableHTTPError,
} from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import {
  CallToolRequestSchema,
  type CallToolResult,
  ErrorCode,
  ListToolsRequestSchema,
  McpError,
} from "@modelcontextprotocol/sdk/types.js";
import { MCP_INSTRUCTIONS, MCP_SERVER_NAME, MCP_SERVER_VERSION } from "./instructions";

/**
 * `npx tyche-mcp`: Tyche's tools for an MCP client that launches its servers as processes (Claude
 * Desktop and most others). A thin proxy: it holds no data, no database and no keys; every tools/list
 * and tools/call goes to a running Tyche's `/mcp` with the personal access token, so the tools, their
 * scope checks and the token's revocation and expiry are exactly the HTTP server's.
 *
 * Only JSON-RPC may go to stdout: diagnostics go to stderr, which MCP clients keep in their logs.
 */

export const DEFAULT_TYCHE_URL = "http://localhost:3000";

const TOKEN_HELP =
  "Create a personal access token in Tyche (the tokens page, or POST /v1/tokens with a session token) " +
  "and set it as TYCHE_TOKEN in the MCP client's configuration for this server.";

export interface ProxyConfig {
  /** The Tyche MCP endpoint: `${TYCHE_URL}/mcp`. */
  endpoint: URL;
  token: string;
}

/** The configuration from the environment, or what is wrong with it, in words for a person. */
export function proxyConfig(env: NodeJS.ProcessEnv): ProxyConfig | { problem: string } {
  const token = env.TYCHE_TOKEN?.trim();
  if (!token) return { problem: `tyche-mcp: TYCHE_TOKEN is not set. ${TOKEN_HELP}` };
  const base = env.TYCHE_URL?.trim() || DEFAULT_TYCHE_URL;
  let endpoint: URL;
  try {
    endpoint = new URL(`${base.replace(/\/+$/, "")}/mcp`);
  } catch {
    return { problem: `tyche-mcp: TYCHE_URL is not a URL: ${base} (for example ${DEFAULT_TYCHE_URL})` };
  }
  if (endpoint.protocol !== "http:" && endpoint.protocol !== "https:")
    return { problem: `tyche-mcp: TYCHE_URL must be http or https: ${base}` };
  return { endpoint, token };
}

/** Why a request to Tyche failed, said so that a person (or the model) knows what to do. */
export function describeUpstreamFailure(err: unknown, endpoint: URL): string {
  if (err instanceof StreamableHTTPError && err.code === 401)
    return `Tyche at ${endpoint.origin} refused TYCHE_TOKEN (401): the token is not valid, or it was revoked or has expired. ${TOKEN_HELP}`;
  if (err instanceof StreamableHTTPError && err.code === 404)
    return `${endpoint.href} is not a Tyche MCP endpoint (404): check TYCHE_URL.`;
  if (err instanceof StreamableHTTPError) return `Tyche at ${endpoint.origin} answered ${err.message}`;
  if (err instanceof McpError) return err.message;
  const cause = err instanceof Error && err.cause instanceof Error ? err.cause.message : undefined;
  const message = err instanceof Error ? err.message : String(err);
  return (
    `Could not reach Tyche at ${endpoint.origin} (${cause ?? message}): is it running (npm start)? ` +
    "Set TYCHE_URL if it listens elsewhere."
  );
}

/** Connects to Tyche's /mcp as an MCP client: the `initialize` there is the token's first check. */
export async function connectUpstream(config: ProxyConfig): Promise<Client> {
  const client = new Client({ name: "tyche-mcp", version: MCP_SERVER_VERSION });
  const transport = new StreamableHTTPClientTransport(config.endpoint, {
    requestInit: { headers: { authorization: `Bearer ${config.token}` } },
  });
  await client.connect(transport);
  return client;
}

/**
 * The stdio side: the low-level `Server` rather than `McpServer`, because a proxy forwards tools
 * it did not define (their JSON Schemas as Tyche lists them), where McpServer only registers tools
 * from zod schemas of its own.
 */
export function createProxyServer(upstream: Client, endpoint: URL): Server {
  const server = new Server(
    { name: MCP_SERVER_NAME, version: upstream.getServerVersion()?.version ?? MCP_SERVER_VERSION },
    { capabilities: { tools: {} }, instructions: upstream.getInstructions() ?? MCP_INSTRUCTIONS },
  );
  server.setRequestHandler(ListToolsRequestSchema, async (request) => {
    try {
      return await upstream.listTools(request.params);
    } catch (err) {
      throw err instanceof McpError
        ? err
        : new McpError(ErrorCode.InternalError, describeUpstreamFailure(err, endpoint));
    }
  });
  server.setRequestHandler(CallToolRequestSchema, async (request): Promise<CallToolResult> => {
    try {
      return (await upstream.callTool(request.params)) as CallToolResult;
    } catch (err) {
      // As a tool result, so the model can tell the user what happened (a revoked token, Tyche down).
      return { isError: true, content: [{ type: "text", text: describeUpstreamFailure(err, endpoint) }] };
    }
  });
  return server;
}
