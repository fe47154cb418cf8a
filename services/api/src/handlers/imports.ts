import { createRoute, z } from "@hono/zod-openapi";
import { AccountId, ImportFromUpload, ImportOptions, ImportPreview, ImportRecord } from "@tyche/types";
import { invalidField } from "../errors";
import { validationProblem, zodFieldErrors } from "../http/problem";
import { routes } from "../http/routes";
import { json, problems } from "../http/schemas";
import type { ImportFile, ImportService } from "../imports/import-service";
import type { ImportUndo } from "../imports/undo";
import { IdempotencyKeyHeader } from "./transactions";

const tags = ["imports"];
const security = [{ bearer: [] }];

/**
 * OpenAPI 3.1 says what a string holds with contentMediaType and contentSchema; the library's
 * metadata type knows only 3.0's fields, hence the cast.
 */
const JSON_OF_IMPORT_OPTIONS = {
  contentMediaType: "application/json",
  contentSchema: { $ref: "#/components/schemas/ImportOptions" },
} as object;

const ImportForm = z.object({
  file: z.any().openapi({ type: "string", format: "binary", description: "CSV, OFX or QFX, at most 10 MB" }),
  options: z
    .string()
    .optional()
    .openapi({
      description:
        "JSON of ImportOptions (components/schemas/ImportOptions): overrides of what the reader guessed, " +
        "each guess of a dry run naming the options that change it. Left out, the account's last choices apply",
      ...JSON_OF_IMPORT_OPTIONS,
    }),
});

const create = createRoute({
  operationId: "importFile",
  method: "post",
  path: "/v1/imports",
  tags,
  security,
  summary: "Import a bank file (CSV, OFX, QFX); dryRun previews without writing",
  description:
    "Duplicates are skipped: by OFX FITID, and for CSV by a fingerprint of date, amount, text and occurrence, " +
    "so importing the same file twice adds nothing. The file comes inline as multipart `file`, or as JSON naming " +
    "an `uploadId` from POST /v1/uploads (the way for files over 6 MB on AWS; a dry run and the import after it " +
    "can name the same upload). With `Prefer: respond-async` the answer is 202 with the import record, to be " +
    "followed at GET /v1/imports/{id}.",
  request: {
    query: z.object({
      accountId: AccountId.optional().describe(
        "The account the file is from; defaults to your first open account",
      ),
      dryRun: z
        .enum(["true", "false"])
        .optional()
        .transform((v) => v === "true"),
    }),
    headers: IdempotencyKeyHeader.extend({ prefer: z.string().optional() }),
    // Either body: each is validated only when it is the request's content type (so not `required`).
    body: {
      content: {
        "multipart/form-data": { schema: ImportForm },
        "application/json": { schema: ImportFromUpload },
      },
    },
  },
  responses: {
    401: problems[401],
    200: json(ImportPreview, "Dry run: what would be imported"),
    201: json(ImportRecord, "Imported"),
    202: json(ImportRecord, "Accepted; follow it at Location"),
    400: problems[400],
    409: problems[409],
    413: { description: "Over 10 MB", content: problems[400].content },
    422: problems[422],
    429: {
      description: "Too many files waiting to be read; try again shortly",
      content: problems[400].content,
    },
  },
});

const get = createRoute({
  operationId: "getImport",
  method: "get",
  path: "/v1/imports/{id}",
  tags,
  security,
  summary: "An import's progress and result",
  request: { params: z.object({ id: z.string().regex(/^[0-9A-Z]{26}$/) }) },
  responses: {
    401: problems[401],
    200: json(ImportRecord, "The import"),
    404: problems[404],
  },
});

const undo = createRoute({
  operationId: "undoImport",
  method: "delete",
  path: "/v1/imports/{id}",
  tags,
  security,
  summary: "Undo an import: remove what it added and unlink what it matched",
  description:
    "Chunk by chunk, each in one audited transaction with the month totals and account balances it moves. " +
    "Transactions the import linked to (entered by hand, pending) stay, as they were before it. " +
    "Undoing an undone import answers it again.",
  request: { params: z.object({ id: z.string().regex(/^[0-9A-Z]{26}$/) }) },
  responses: {
    401: problems[401],
    200: json(ImportRecord, "The import, now undone"),
    404: problems[404],
    409: problems[409],
  },
});

/** The form's `options` field: JSON of ImportOptions, its errors named under `options.`. */
function parseOptions(raw: unknown): ImportOptions {
  if (typeof raw !== "string" || !raw.trim()) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw invalidField("options", "must be JSON", "malformed");
  }
  const result = ImportOptions.safeParse(parsed);
  if (!result.success) {
    throw validationProblem(zodFieldErrors(result.error).map((e) => ({ ...e, path: `options.${e.path}` })));
  }
  return result.data;
}

export const importRoutes = (imports: ImportService, undoer: ImportUndo) =>
  routes()
    .openapi(create, async (c) => {
      const principal = c.get("principal");
      const uploaded = c.req.valid("json") as Partial<ImportFromUpload>;
      let file: ImportFile;
      let options: ImportOptions;
      if (uploaded.uploadId) {
        file = await imports.uploaded(principal, uploaded.uploadId, uploaded.fileName);
        options = uploaded.options ?? {};
      } else {
        // Typed as either body by the library; the form's when it came as multipart.
        const form = c.req.valid("form") as Partial<z.infer<typeof ImportForm>>;
        if (!(form.file instanceof File))
          throw invalidField(
            "file",
            "is required: attach the bank file as multipart `file`, or send JSON naming an `uploadId`",
            "malformed",
          );
        file = { name: form.file.name, bytes: new Uint8Array(await form.file.arrayBuffer()) };
        options = parseOptions(form.options);
      }
      const headers = c.req.valid("header");
      const idempotencyKey = headers["idempotency-key"];
      const { accountId } = c.req.valid("query");
      const { status, body } = await imports.run(principal, file, options, {
        dryRun: c.req.valid("query").dryRun,
        respondAsync: /respond-async/i.test(headers.prefer ?? ""),
        ...(idempotencyKey ? { idempotencyKey } : {}),
        ...(accountId ? { accountId } : {}),
      });
      if (status === 200) return c.json(body as ImportPreview, 200);
      c.header("location", `/v1/imports/${(body as ImportRecord).importId}`);
      return c.json(body as ImportRecord, status);
    })
    .openapi(get, async (c) => c.json(await imports.get(c.get("principal"), c.req.valid("param").id), 200))
    .openapi(undo, async (c) => c.json(await undoer.undo(c.get("principal"), c.req.valid("param").id), 200));
