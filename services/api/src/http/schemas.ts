import { z } from "@hono/zod-openapi";
import { Month, Problem } from "@tyche/types";

/** Shared request pieces for route definitions; zod here also documents them in OpenAPI. */
export const IncludeArchived = z
  .enum(["true", "false"])
  .optional()
  .transform((v) => v === "true")
  .describe("Also return archived items");

export const PageQuery = {
  limit: z.coerce.number().int().min(1).max(100).default(50).describe("Page size, 1 to 100"),
  cursor: z.string().max(2048).optional().describe("Opaque cursor from the previous page's nextCursor"),
};

export const MonthParam = z.object({ month: Month });

export const IfMatchHeader = z.object({
  "if-match": z.string().optional().describe('ETag from a previous read, e.g. "3"; a stale one answers 412'),
});

const problemContent = { "application/problem+json": { schema: Problem } };
export const problems = {
  400: { description: "Invalid input; `errors` names each field", content: problemContent },
  401: { description: "Missing, invalid or expired token", content: problemContent },
  403: {
    description:
      "The token may not do this: `insufficient-scope` for a read personal access token on a write, `session-required` for a personal access token where only a session token will do",
    content: problemContent,
  },
  404: { description: "Not found (also for another tenant's objects)", content: problemContent },
  409: { description: "Conflicts with stored data", content: problemContent },
  412: { description: "The If-Match ETag is stale", content: problemContent },
  422: { description: "Valid shape, but refers to something that does not fit", content: problemContent },
} as const;

export const jsonBody = <T extends z.ZodType>(schema: T) => ({
  required: true,
  content: { "application/json": { schema } },
});

export const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { "application/json": { schema } },
});
