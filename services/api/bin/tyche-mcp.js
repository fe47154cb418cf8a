#!/usr/bin/env node
// `npx tyche-mcp`: the stdio MCP server (src/ai/mcp/stdio.ts). The sources are TypeScript, run as
// `npm start` runs them, with tsx, here registered in this process so that stdin, stdout and signals
// are the MCP client's own, with no child process between them.
import { register } from "tsx/esm/api";

register();
await import(new URL("../src/ai/mcp/stdio.ts", import.meta.url).href);
