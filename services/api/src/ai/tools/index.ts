import { canWrite, type Principal } from "../../auth/principal";
import type { Services } from "../../services";
import type { AnyTool } from "./tool";
import { userContextTool } from "./user-context";

export { runTool, type ToolOutcome } from "./run-tool";
export type { AnyTool, ToolContext, TycheTool } from "./tool";

/** Every tool, in the order a model is shown them (the context first). */
export function createTools(s: Services): AnyTool[] {
  return [userContextTool(s)];
}

/** The tools a principal may be offered: the write tools only where its token allows writing. */
export const toolsFor = (tools: readonly AnyTool[], principal: Principal): AnyTool[] =>
  tools.filter((t) => !t.write || canWrite(principal));
