import type { SQSBatchResponse, SQSEvent } from "aws-lambda";
import { log } from "../log";
import { ImportJob } from "./import-job";
import type { ImportService } from "./import-service";

/**
 * The queue's consumer: each message is one import, written by ImportService.resume, which ends
 * every import it takes up (completed, or failed with why on its record) and so is not retried.
 * Only a message that could not be handled at all (DynamoDB unreachable before the record was
 * read) is handed back to the queue, to come again and at last to its dead-letter queue. A
 * message that is not a job never will be one: it is logged and dropped.
 */
export function createImportWorker(imports: Pick<ImportService, "resume">) {
  return async (event: SQSEvent): Promise<SQSBatchResponse> => {
    const batchItemFailures: SQSBatchResponse["batchItemFailures"] = [];
    for (const message of event.Records) {
      let job: ImportJob;
      try {
        job = ImportJob.parse(JSON.parse(message.body));
      } catch (err) {
        log().error({ messageId: message.messageId, err: String(err) }, "not an import job");
        continue;
      }
      try {
        const record = await imports.resume(job);
        log().info(
          { importId: job.importId, status: record?.status ?? "missing", processed: record?.processed ?? 0 },
          "import job done",
        );
      } catch (err) {
        log().error({ importId: job.importId, err: String(err) }, "import job failed");
        batchItemFailures.push({ itemIdentifier: message.messageId });
      }
    }
    return { batchItemFailures };
  };
}
