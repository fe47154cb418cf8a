import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { type MonthChange, monthChangeOf } from "./month-changes";

type Attributes = Record<string, unknown>;

/** A key attribute as the document client has it (a string) or as the bare client does ({S}). */
const text = (v: unknown): unknown =>
  typeof v === "object" && v !== null && "S" in v ? (v as { S: unknown }).S : v;

const changeOf = (item: Attributes | undefined) =>
  item ? monthChangeOf(text(item.PK), text(item.SK)) : undefined;

/** The items of `table` a write command named, by key or whole item. */
function writtenItems(command: string, input: Attributes, table: string): (Attributes | undefined)[] {
  if (command === "TransactWriteCommand" || command === "TransactWriteItemsCommand") {
    const items = (input.TransactItems ?? []) as Attributes[];
    return items.flatMap((t) => {
      const put = t.Put as { TableName?: string; Item?: Attributes } | undefined;
      const other = (t.Update ?? t.Delete) as { TableName?: string; Key?: Attributes } | undefined;
      if (put?.TableName === table) return [put.Item];
      if (other?.TableName === table) return [other.Key];
      return [];
    });
  }
  if (command === "BatchWriteCommand" || command === "BatchWriteItemCommand") {
    const requests = ((input.RequestItems as Record<string, Attributes[]> | undefined)?.[table] ?? []) as {
      PutRequest?: { Item: Attributes };
      DeleteRequest?: { Key: Attributes };
    }[];
    return requests.map((r) => r.PutRequest?.Item ?? r.DeleteRequest?.Key);
  }
  if (input.TableName !== table) return [];
  if (/^Put(Item)?Command$/.test(command)) return [input.Item as Attributes];
  if (/^(Update|Delete)(Item)?Command$/.test(command)) return [input.Key as Attributes];
  return [];
}

/**
 * Reports every month whose totals or plan a successful write through `db` changed: the local
 * stand-in for the table's DynamoDB Stream, at the one place every write passes. A write that
 * failed (a condition, a cancelled transaction) changed nothing and reports nothing; a batch's
 * unprocessed items are retried by the code that sent it and reported with that retry.
 */
export function watchMonthWrites(
  db: DynamoDBDocumentClient,
  budgetsTable: string,
  onChange: (changes: MonthChange[]) => void,
): void {
  db.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      const changes = writtenItems(String(context.commandName), args.input as Attributes, budgetsTable)
        .map(changeOf)
        .filter((c): c is MonthChange => c !== undefined);
      if (changes.length) onChange(changes);
      return result;
    },
    { step: "initialize", name: "watchMonthWrites" },
  );
}
