import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";

export interface DbOptions {
  /** DynamoDB Local or another endpoint; unset means real DynamoDB with the default credential chain. */
  endpoint?: string;
  region?: string;
}

export function createDynamoClient({ endpoint, region }: DbOptions): DynamoDBClient {
  return new DynamoDBClient({
    region: region ?? process.env.AWS_REGION ?? "us-east-1",
    ...(endpoint
      ? { endpoint, credentials: { accessKeyId: "local", secretAccessKey: "local" }, maxAttempts: 5 }
      : {}),
  });
}

export function createDocumentClient(client: DynamoDBClient): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertEmptyValues: false },
  });
}
