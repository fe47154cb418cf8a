#!/usr/bin/env node
// `npx tyche-transfer`: copies one user's data from one Tyche to another over the API
// (src/transfer/cli.ts; docs/DEPLOYMENT.md, "Moving a local data set to the cloud"). The sources
// are TypeScript, run with tsx registered in this process, as `npx tyche-mcp` does.
import { register } from "tsx/esm/api";

register();
await import(new URL("../src/transfer/cli.ts", import.meta.url).href);
