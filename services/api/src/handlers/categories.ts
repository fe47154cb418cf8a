import { createRoute, z } from "@hono/zod-openapi";
import { Category, CategoryCreate, CategoryUpdate, Id } from "@tyche/types";
import type { CategoryService } from "../domain/categories";
import { etagOf, expectedVersion } from "../http/etag";
import { routes } from "../http/routes";
import { IfMatchHeader, IncludeArchived, json, jsonBody, problems } from "../http/schemas";

const tags = ["categories"];
const security = [{ bearer: [] }];
const IdParam = z.object({ id: Id });

const list = createRoute({
  operationId: "listCategories",
  method: "get",
  path: "/v1/categories",
  tags,
  security,
  summary: "Your categories, by name",
  request: { query: z.object({ includeArchived: IncludeArchived }) },
  responses: { 200: json(z.object({ items: z.array(Category) }), "Categories"), 401: problems[401] },
});

const create = createRoute({
  operationId: "createCategory",
  method: "post",
  path: "/v1/categories",
  tags,
  security,
  summary: "Create a category",
  request: { body: jsonBody(CategoryCreate) },
  responses: {
    401: problems[401],
    201: json(Category, "Created"),
    400: problems[400],
    422: problems[422],
  },
});

const get = createRoute({
  operationId: "getCategory",
  method: "get",
  path: "/v1/categories/{id}",
  tags,
  security,
  summary: "One category",
  request: { params: IdParam },
  responses: {
    401: problems[401],
    200: json(Category, "The category"),
    404: problems[404],
  },
});

const update = createRoute({
  operationId: "updateCategory",
  method: "put",
  path: "/v1/categories/{id}",
  tags,
  security,
  summary: "Change a category's name, group, colour, default limit, or restore it",
  request: { params: IdParam, headers: IfMatchHeader, body: jsonBody(CategoryUpdate) },
  responses: {
    401: problems[401],
    200: json(Category, "Updated"),
    400: problems[400],
    404: problems[404],
    412: problems[412],
  },
});

const remove = createRoute({
  operationId: "deleteCategory",
  method: "delete",
  path: "/v1/categories/{id}",
  tags,
  security,
  summary: "Delete a category; one any budget uses is archived instead",
  request: { params: IdParam, headers: IfMatchHeader },
  responses: {
    401: problems[401],
    200: json(z.object({ result: z.enum(["deleted", "archived"]) }), "What happened"),
    404: problems[404],
    412: problems[412],
  },
});

export const categoryRoutes = (categories: CategoryService) =>
  routes()
    .openapi(list, async (c) => {
      const items = await categories.list(c.get("principal"), c.req.valid("query").includeArchived);
      return c.json({ items }, 200);
    })
    .openapi(create, async (c) => {
      const category = await categories.create(c.get("principal"), c.req.valid("json"));
      c.header("etag", etagOf(category.version));
      c.header("location", `/v1/categories/${category.categoryId}`);
      return c.json(category, 201);
    })
    .openapi(get, async (c) => {
      const category = await categories.get(c.get("principal"), c.req.valid("param").id);
      c.header("etag", etagOf(category.version));
      return c.json(category, 200);
    })
    .openapi(update, async (c) => {
      const category = await categories.update(
        c.get("principal"),
        c.req.valid("param").id,
        c.req.valid("json"),
        expectedVersion(c.req.valid("header")["if-match"]),
      );
      c.header("etag", etagOf(category.version));
      return c.json(category, 200);
    })
    .openapi(remove, async (c) => {
      const result = await categories.remove(
        c.get("principal"),
        c.req.valid("param").id,
        expectedVersion(c.req.valid("header")["if-match"]),
      );
      return c.json({ result }, 200);
    });
