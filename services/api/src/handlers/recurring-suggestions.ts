import { createRoute, z } from "@hono/zod-openapi";
import { RecurringSuggestionList, SuggestionDismissal, SuggestionKey } from "@tyche/types";
import { routes } from "../http/routes";
import { json, problems } from "../http/schemas";
import type { RecurringSuggestionService } from "../recurring/suggestions";

// Paths under /v1/recurring/suggestions: the templates' /v1/recurring/{id} routes are another
// group, mounted after this one, so "suggestions" is never read as a template id.

const tags = ["recurring"];
const security = [{ bearer: [] }];
const KeyParam = z.object({ key: SuggestionKey });

const list = createRoute({
  operationId: "listRecurringSuggestions",
  method: "get",
  path: "/v1/recurring/suggestions",
  tags,
  security,
  summary: "Found for you: charges and income that look recurring in your history, with the evidence",
  description:
    "Reads the last 25 months of your transactions and finds series at one merchant and account at a " +
    "regular cadence (weekly, every two weeks, monthly, quarterly, yearly), with each occurrence, the " +
    "typical amount, the next date and a schedule to make a recurring template from. Merchants your " +
    "templates already cover and suggestions you dismissed are left out. Rules: docs/SUGGESTIONS.md.",
  request: {
    query: z.object({
      status: z
        .enum(["active", "all"])
        .default("active")
        .describe("active: series still running (seen within 1.5 cadences); all: ended ones too"),
      includeDismissed: z
        .enum(["true", "false"])
        .optional()
        .transform((v) => v === "true")
        .describe("Also list the suggestions you dismissed (dismissed: true)"),
    }),
  },
  responses: {
    401: problems[401],
    200: json(RecurringSuggestionList, "Suggestions, active first, then by confidence"),
    400: problems[400],
  },
});

const dismiss = createRoute({
  operationId: "dismissRecurringSuggestion",
  method: "post",
  path: "/v1/recurring/suggestions/{key}/dismiss",
  tags,
  security,
  summary: "Dismiss a suggestion: it is no longer listed (dismissing it again changes nothing)",
  request: { params: KeyParam },
  responses: {
    401: problems[401],
    200: json(SuggestionDismissal, "Dismissed"),
    400: problems[400],
    404: problems[404],
    409: problems[409],
  },
});

const restore = createRoute({
  operationId: "restoreRecurringSuggestion",
  method: "delete",
  path: "/v1/recurring/suggestions/{key}/dismiss",
  tags,
  security,
  summary: "Undo a dismissal: the suggestion is listed again while the history still shows it",
  request: { params: KeyParam },
  responses: {
    401: problems[401],
    204: { description: "Restored" },
    400: problems[400],
    404: problems[404],
    409: problems[409],
    412: problems[412],
  },
});

export const recurringSuggestionRoutes = (suggestions: RecurringSuggestionService) =>
  routes()
    .openapi(list, async (c) => c.json(await suggestions.list(c.get("principal"), c.req.valid("query")), 200))
    .openapi(dismiss, async (c) =>
      c.json(await suggestions.dismiss(c.get("principal"), c.req.valid("param").key), 200),
    )
    .openapi(restore, async (c) => {
      await suggestions.restore(c.get("principal"), c.req.valid("param").key);
      return c.body(null, 204);
    });
