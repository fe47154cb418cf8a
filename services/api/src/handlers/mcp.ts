import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import { Hono, type MiddlewareHandler } from "hono";
import { createMcpServer } from "../ai/mcp/server";
import type { AnyTool } from "../ai/tools";
import { toolContext } from "../ai/tools/tool";
import type { AppEnv } from "../context";

export const MCP_PATH = "/mcp";

/** The JSON-RPC answer the SDK's stateless examples give to GET and DELETE. */
const methodNotAllowed = () =>
  new Response(
    JSON.stringify({ jsonrpc: "2.0", error: { code: -32000, message: "Method not allowed." }, id: null }),
    { status: 405, headers: { "content-type": "application/json", allow: "POST" } },
  );

/**
 * The tools over MCP's streamable HTTP, stateless: each POST gets its own server and transport, built
 * for the principal `auth` verified, so no state (and no principal) outlives the request and any
 * instance can answer any request (also behind a Lambda). There is no session to resume or stream
 * to hold open, so GET and DELETE answer 405; answers are plain JSON rather than SSE.
 */
export function mcpRoutes(opts: {
  tools: readonly AnyTool[];
  today: () => string;
  auth: MiddlewareHandler<AppEnv>;
  maxBodyBytes: number;
}) {
  return new Hono<AppEnv>()
    .use(MCP_PATH, opts.auth)
    .post(MCP_PATH, async (c) => {
      const server = createMcpServer(opts.tools, toolContext(c.get("principal"), opts.today()));
      const transport = new WebStandardStreamableHTTPServerTransport({
        sessionIdGenerator: undefined,
        enableJsonResponse: true,
        maxRequestBodySize: opts.maxBodyBytes,
      });
      await server.connect(transport);
      try {
        return await transport.handleRequest(c.req.raw);
      } finally {
        // With JSON answers the response is complete here; nothing is left to stream.
        await server.close();
      }
    })
    .get(MCP_PATH, methodNotAllowed)
    .delete(MCP_PATH, methodNotAllowed);
}
