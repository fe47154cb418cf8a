import { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../context";
import { validationProblem, zodFieldErrors } from "./problem";

/**
 * A group of routes, chained so that its type carries every route for the typed client (`hc`).
 * Invalid input becomes a 400 naming each field, the same in every group.
 */
export const routes = () =>
  new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) throw validationProblem(zodFieldErrors(result.error));
    },
  });
