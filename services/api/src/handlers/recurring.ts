import { createRoute, z } from "@hono/zod-openapi";
import { Id, Recurring, RecurringCreate, RecurringUpdate, Upcoming, UpcomingQuery } from "@tyche/types";
import type { RecurringService } from "../domain/recurring";
import { etagOf, expectedVersion } from "../http/etag";
import { routes } from "../http/routes";
import { IfMatchHeader, json, jsonBody, problems } from "../http/schemas";

const tags = ["recurring"];
const security = [{ bearer: [] }];
const IdParam = z.object({ id: Id });

const list = createRoute({
  operationId: "listRecurring",
  method: "get",
  path: "/v1/recurring",
  tags,
  security,
  summary: "Your recurring templates (rent, subscriptions, card payments), by name",
  responses: { 200: json(z.object({ items: z.array(Recurring) }), "Templates"), 401: problems[401] },
});

const upcomingRoute = createRoute({
  operationId: "listUpcomingBills",
  method: "get",
  path: "/v1/recurring/upcoming",
  tags,
  security,
  summary: "The coming occurrences of active templates, today included, with totals per currency",
  description:
    "Occurrences already done (posted, or found already recorded) are left out; those of templates that " +
    "do not post (autoPost false) are reminders and are listed too.",
  request: { query: UpcomingQuery },
  responses: { 200: json(Upcoming, "Upcoming bills"), 400: problems[400], 401: problems[401] },
});

const create = createRoute({
  operationId: "createRecurring",
  method: "post",
  path: "/v1/recurring",
  tags,
  security,
  summary: "Add a recurring template",
  description:
    "The schedule is an RFC 5545 rule on calendar dates, given as rrule text or structured fields (docs/RECURRING.md). " +
    "With autoPost, each occurrence becomes a transaction when it is due, from today on (or from startDate with backfill).",
  request: { body: jsonBody(RecurringCreate) },
  responses: { 401: problems[401], 201: json(Recurring, "Created"), 400: problems[400], 422: problems[422] },
});

const get = createRoute({
  operationId: "getRecurring",
  method: "get",
  path: "/v1/recurring/{id}",
  tags,
  security,
  summary: "One recurring template",
  request: { params: IdParam },
  responses: { 401: problems[401], 200: json(Recurring, "The template"), 404: problems[404] },
});

const update = createRoute({
  operationId: "updateRecurring",
  method: "put",
  path: "/v1/recurring/{id}",
  tags,
  security,
  summary: "Change a template; occurrences already posted stay as they are",
  description: "Due occurrences are posted as the template was before the change is applied.",
  request: { params: IdParam, headers: IfMatchHeader, body: jsonBody(RecurringUpdate) },
  responses: {
    401: problems[401],
    200: json(Recurring, "Updated"),
    400: problems[400],
    404: problems[404],
    409: problems[409],
    412: problems[412],
    422: problems[422],
  },
});

const remove = createRoute({
  operationId: "deleteRecurring",
  method: "delete",
  path: "/v1/recurring/{id}",
  tags,
  security,
  summary: "Delete a template; the transactions it posted stay",
  request: { params: IdParam, headers: IfMatchHeader },
  responses: {
    401: problems[401],
    204: { description: "Deleted" },
    404: problems[404],
    409: problems[409],
    412: problems[412],
  },
});

export const recurringRoutes = (recurring: RecurringService) =>
  routes()
    .openapi(list, async (c) => c.json({ items: await recurring.list(c.get("principal")) }, 200))
    // Before `{id}`: "upcoming" is not an id.
    .openapi(upcomingRoute, async (c) =>
      c.json(await recurring.upcoming(c.get("principal"), c.req.valid("query").days), 200),
    )
    .openapi(create, async (c) => {
      const t = await recurring.create(c.get("principal"), c.req.valid("json"));
      c.header("etag", etagOf(t.version));
      c.header("location", `/v1/recurring/${t.recurringId}`);
      return c.json(t, 201);
    })
    .openapi(get, async (c) => {
      const t = await recurring.get(c.get("principal"), c.req.valid("param").id);
      c.header("etag", etagOf(t.version));
      return c.json(t, 200);
    })
    .openapi(update, async (c) => {
      const t = await recurring.update(
        c.get("principal"),
        c.req.valid("param").id,
        c.req.valid("json"),
        expectedVersion(c.req.valid("header")["if-match"]),
      );
      c.header("etag", etagOf(t.version));
      return c.json(t, 200);
    })
    .openapi(remove, async (c) => {
      await recurring.remove(
        c.get("principal"),
        c.req.valid("param").id,
        expectedVersion(c.req.valid("header")["if-match"]),
      );
      return c.body(null, 204);
    });
