import { SendMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { ImportOptions } from "@tyche/types";
import { z } from "zod";

/**
 * An import handed to an invocation of its own: the API has read the file, recorded the import
 * and kept the user's lease for it; the worker reads the file again from storage and writes it
 * (ImportService.resume). Small, well under a queue message's 256 KB: the file stays in storage.
 */
export const ImportJob = z.object({
  tenantId: z.string().min(1),
  userId: z.string().min(1),
  importId: z.string().regex(/^[0-9A-Z]{26}$/),
  /** Where the file is, in the file storage. */
  key: z.string().min(1),
  fileName: z.string().nullable(),
  options: ImportOptions,
  accountId: z.string().optional(),
});
export type ImportJob = z.infer<typeof ImportJob>;

/** Where jobs go: a queue on AWS, whose consumer is import-worker-lambda.ts. */
export interface ImportQueue {
  send(job: ImportJob): Promise<void>;
}

export class SqsImportQueue implements ImportQueue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async send(job: ImportJob): Promise<void> {
    await this.sqs.send(
      new SendMessageCommand({ QueueUrl: this.queueUrl, MessageBody: JSON.stringify(job) }),
    );
  }
}
