import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { TableNames } from "./tables";

/** What every repository needs: the document client and the physical table names. */
export interface Store {
  db: DynamoDBDocumentClient;
  tables: TableNames;
}
