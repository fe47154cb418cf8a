import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { canWrite } from "../../auth/principal";
import { type AnyTool, runTool, type ToolContext, type ToolOutcome, toolsFor } from "../tools";
import { MCP_INSTRUCTIONS, MCP_SERVER_NAME, MCP_SERVER_VERSION, READ_ONLY_NOTE } from "./instructions";

/**
 * Most array elements and object members one call's arguments may hold, counted by the SDK before it
 * validates them (GHSA-46jr-4wx8-v453: without a bound, one request inside the body limit can exhaust
 * memory during validation; the SDK leaves the bound off unless set). The largest input a tool takes,
 * forecast_savings with 200 limits and 100 goals, is about 900; four times that leaves room.
 */
export const MAX_TOOL_INPUT_ELEMENTS = 4096;

/**
 * The tools a principal may use, over MCP: one server per caller (per request over HTTP), so
 * what it lists and runs is decided by the verified principal in `ctx` and nothing the client sends.
 * Each call goes through `runTool`, as the chat's do: a refused write, bad input or a domain failure
 * comes back as an `isError` result the model can read, never a protocol error.
 */
export function createMcpServer(tools: readonly AnyTool[], ctx: ToolContext): McpServer {
  const server = new McpServer(
    { name: MCP_SERVER_NAME, version: MCP_SERVER_VERSION },
    {
      instructions: MCP_INSTRUCTIONS + (canWrite(ctx.principal) ? "" : READ_ONLY_NOTE),
      maxToolInputElements: MAX_TOOL_INPUT_ELEMENTS,
    },
  );
  for (const tool of toolsFor(tools, ctx.principal)) {
    server.registerTool(
      tool.name,
      {
        description: tool.description,
        // The SDK lists this schema as JSON Schema and checks the arguments with it (bad input is an
        // isError result in the SDK's words); runTool parses them again, which changes nothing for
        // the tools' schemas, whose transforms (trimming, lower-casing, defaults) are idempotent.
        inputSchema: tool.input,
        annotations: { readOnlyHint: !tool.write, openWorldHint: false },
      },
      async (args: unknown) => {
        try {
          // No callId for the write tools' idempotency: a JSON-RPC id counts per connection (each
          // stateless POST here, every restart of a client), so two different calls would share one.
          return toResult(await runTool(tool, ctx, args));
        } catch (err) {
          // A fault, not the caller's mistake: logged here, and the client's model is told no more
          // than that it failed (the SDK would pass the raw message, internals and all).
          console.error(`MCP tool ${tool.name} failed`, err);
          return failure(`${tool.name} failed on Tyche's side; try again later`);
        }
      },
    );
  }
  return server;
}

function toResult(outcome: ToolOutcome): CallToolResult {
  if (!outcome.ok) return failure(outcome.error);
  const text = JSON.stringify(outcome.output ?? null);
  // The protocol's structuredContent is a JSON object; a list or a scalar goes as text alone.
  return isRecord(outcome.output)
    ? { content: [{ type: "text", text }], structuredContent: outcome.output }
    : { content: [{ type: "text", text }] };
}

const failure = (text: string): CallToolResult => ({ isError: true, content: [{ type: "text", text }] });

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);
