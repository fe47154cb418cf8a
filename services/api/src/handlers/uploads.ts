import { createRoute } from "@hono/zod-openapi";
import { Upload, UploadRequest } from "@tyche/types";
import { routes } from "../http/routes";
import { json, jsonBody, problems } from "../http/schemas";
import type { Uploads } from "../storage/uploads";

const create = createRoute({
  operationId: "createUpload",
  method: "post",
  path: "/v1/uploads",
  tags: ["uploads"],
  security: [{ bearer: [] }],
  summary: "Send a bank file or a receipt ahead: a signed URL to PUT its bytes to",
  description:
    "For files of any size up to 10 MB, past what one request may carry on AWS (6 MB). PUT the bytes to " +
    "`url` with `headers`, then name the `uploadId` in POST /v1/imports or PUT /v1/transactions/{id}/receipt. " +
    "The URL takes exactly `size` bytes, for 15 minutes; the file is kept for two days unless used.",
  request: { body: jsonBody(UploadRequest) },
  responses: {
    401: problems[401],
    201: json(Upload, "Where to PUT the file"),
    400: problems[400],
  },
});

export const uploadRoutes = (uploads: Uploads) =>
  routes().openapi(create, async (c) =>
    c.json(await uploads.create(c.get("principal"), c.req.valid("json")), 201),
  );
