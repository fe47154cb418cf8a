import { createHash } from "node:crypto";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { ImportOptions, ImportPreview, ImportRecord } from "@tyche/types";
import type { AppEnv } from "../context";
import { type IdempotencyStore, IdempotentReplay } from "../db/idempotency";
import type { ImportRecordRepository } from "../db/imports";
import { invalidField, ProblemError, validationProblem, zodFieldErrors } from "../http/problem";
import { json, problems } from "../http/schemas";
import type { ImportService } from "../imports/import-service";
import { IdempotencyKeyHeader } from "./transactions";

const tags = ["imports"];
const security = [{ bearer: [] }];

const ImportForm = z.object({
  file: z.any().openapi({ type: "string", format: "binary", description: "CSV, OFX or QFX, at most 10 MB" }),
  options: z
    .string()
    .optional()
    .openapi({ description: "JSON of ImportOptions: CSV overrides such as a column mapping" }),
});

const create = createRoute({
  method: "post",
  path: "/v1/imports",
  tags,
  security,
  summary: "Import a bank file (CSV, OFX, QFX); dryRun previews without writing",
  description:
    "Duplicates are skipped: by OFX FITID, and for CSV by a fingerprint of date, amount, text and occurrence, " +
    "so importing the same file twice adds nothing. With `Prefer: respond-async` the answer is 202 with the " +
    "import record, to be followed at GET /v1/imports/{id}.",
  request: {
    query: z.object({
      dryRun: z
        .enum(["true", "false"])
        .optional()
        .transform((v) => v === "true"),
    }),
    headers: IdempotencyKeyHeader.extend({ prefer: z.string().optional() }),
    body: { required: true, content: { "multipart/form-data": { schema: ImportForm } } },
  },
  responses: {
    200: json(ImportPreview, "Dry run: what would be imported"),
    201: json(ImportRecord, "Imported"),
    202: json(ImportRecord, "Accepted; follow it at Location"),
    400: problems[400],
    413: { description: "Over 10 MB" },
    422: problems[422],
  },
});

const get = createRoute({
  method: "get",
  path: "/v1/imports/{id}",
  tags,
  security,
  summary: "An import's progress and result",
  request: { params: z.object({ id: z.string().regex(/^[0-9A-Z]{26}$/) }) },
  responses: { 200: json(ImportRecord, "The import"), 404: problems[404] },
});

export function registerImports(
  app: OpenAPIHono<AppEnv>,
  imports: ImportService,
  records: ImportRecordRepository,
  idempotency: IdempotencyStore,
) {
  app.openapi(create, async (c) => {
    const owner = c.get("principal");
    const form = c.req.valid("form");
    const file = form.file;
    if (!(file instanceof File))
      throw invalidField("file", "is required: attach the bank file as `file`", 400);
    let options: ImportOptions = {};
    const rawOptions = form.options;
    if (typeof rawOptions === "string" && rawOptions.trim()) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(rawOptions);
      } catch {
        throw invalidField("options", "must be JSON", 400);
      }
      const result = ImportOptions.safeParse(parsed);
      if (!result.success) {
        throw validationProblem(
          zodFieldErrors(result.error).map((e) => ({ ...e, path: `options.${e.path}` })),
        );
      }
      options = result.data;
    }
    const bytes = new Uint8Array(await file.arrayBuffer());
    const { dryRun } = c.req.valid("query");
    const headers = c.req.valid("header");
    const key = headers["idempotency-key"];
    const hash = createHash("sha256").update(bytes).update(JSON.stringify(options)).digest("base64url");
    const upload = { name: file.name, bytes };
    if (dryRun) return c.json(await imports.preview(owner, upload, options), 200);

    /** The first answer under this key, if there was one. */
    const replayed = async () => {
      const first = key ? await idempotency.find(owner, "imports", key, hash) : undefined;
      if (first) c.header("location", `/v1/imports/${(first.body as ImportRecord).importId}`);
      return first;
    };
    const replay = await replayed();
    if (replay) return c.json(replay.body as ImportRecord, replay.status as 201);
    let begun: Awaited<ReturnType<ImportService["begin"]>>;
    try {
      begun = await imports.begin(owner, upload, options);
    } catch (err) {
      // The same request is already running under this key: answer as it did.
      const first = err instanceof ProblemError && err.status === 409 ? await replayed() : undefined;
      if (first) return c.json(first.body as ImportRecord, first.status as 202);
      throw err;
    }
    const { record: started, prepared } = begun;
    if (key) {
      try {
        await idempotency.claim(owner, "imports", key, hash, { status: 202, body: started });
      } catch (err) {
        await imports.abandon(owner, started.importId, "Superseded by a concurrent retry");
        const first = err instanceof IdempotentReplay ? await replayed() : undefined;
        if (first) return c.json(first.body as ImportRecord, first.status as 202);
        throw err;
      }
    }
    c.header("location", `/v1/imports/${started.importId}`);
    if (/respond-async/i.test(headers.prefer ?? "")) {
      void imports
        .write(owner, prepared, started.importId)
        .catch((err) => console.error("import failed", err));
      return c.json(started, 202);
    }
    const done = await imports.write(owner, prepared, started.importId);
    if (key) await idempotency.settle(owner, "imports", key, hash, { status: 201, body: done });
    return c.json(done, 201);
  });

  app.openapi(get, async (c) =>
    c.json(await records.require(c.get("principal"), c.req.valid("param").id), 200),
  );
}
