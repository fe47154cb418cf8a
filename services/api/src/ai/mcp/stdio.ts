import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { connectUpstream, createProxyServer, describeUpstreamFailure, proxyConfig } from "./proxy";

// The entry of `npx tyche-mcp` (services/api/bin/tyche-mcp.js runs it with tsx). Environment:
// TYCHE_TOKEN (required, a personal access token) and TYCHE_URL (default http://localhost:3000).

async function main(): Promise<void> {
  // A stray console.log from any library would corrupt the JSON-RPC stream on stdout.
  console.log = console.info = console.debug = console.error;
  const config = proxyConfig(process.env);
  if ("problem" in config) {
    console.error(config.problem);
    process.exit(2);
  }
  let upstream: Client;
  try {
    upstream = await connectUpstream(config);
  } catch (err) {
    // Failing at once, with the reason in the client's log, beats a server whose every call fails.
    console.error(`tyche-mcp: ${describeUpstreamFailure(err, config.endpoint)}`);
    process.exit(1);
  }
  const server = createProxyServer(upstream, config.endpoint);
  let closing = false;
  const close = async () => {
    if (closing) return;
    closing = true;
    await Promise.allSettled([server.close(), upstream.close()]);
    process.exit(0);
  };
  // The client closes stdin (or signals) to stop its server; nothing else may keep this one alive.
  process.stdin.once("end", () => void close());
  process.once("SIGINT", () => void close());
  process.once("SIGTERM", () => void close());
  await server.connect(new StdioServerTransport());
  console.error(`tyche-mcp: connected to ${config.endpoint.href}`);
}

await main();
