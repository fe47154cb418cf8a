import { GetCommand } from "@aws-sdk/lib-dynamodb";
import type { Rule } from "@tyche/types";
import { assertVersion } from "../http/etag";
import { notFound, preconditionFailed } from "../http/problem";
import { keys, type Owner, ownerKey, prefixes } from "./keys";
import { queryPrefix } from "./query";
import type { Store } from "./store";
import { writeAudited } from "./transact";

function toRule(item: Record<string, unknown>): Rule {
  const { PK: _p, SK: _s, entity: _e, ...rest } = item;
  return rest as unknown as Rule;
}

/** Categorisation rules (`RULE#<id>` in tyche-budgets, beside the categories they point to). */
export class RuleRepository {
  constructor(private readonly store: Store) {}

  /** All of a user's rules, in the order they are tried. */
  async list(owner: Owner): Promise<Rule[]> {
    const out: Rule[] = [];
    for await (const item of queryPrefix(
      this.store.db,
      this.store.tables.budgets,
      ownerKey(owner),
      prefixes.rule,
    )) {
      out.push(toRule(item));
    }
    return out.sort((a, b) => a.priority - b.priority || a.ruleId.localeCompare(b.ruleId));
  }

  async require(owner: Owner, ruleId: string): Promise<Rule> {
    const { Item } = await this.store.db.send(
      new GetCommand({ TableName: this.store.tables.budgets, Key: keys.rule(owner, ruleId) }),
    );
    if (!Item) throw notFound("Rule");
    return toRule(Item);
  }

  async put(owner: Owner, rule: Rule, before?: Rule): Promise<void> {
    await writeAudited(
      this.store.db,
      this.store.tables.auditLogs,
      { owner, action: before ? "rule.update" : "rule.create", entityId: rule.ruleId, before, after: rule },
      [
        {
          item: {
            Put: {
              TableName: this.store.tables.budgets,
              Item: { ...keys.rule(owner, rule.ruleId), entity: "rule", ...rule },
              ...(before
                ? { ConditionExpression: "version = :v", ExpressionAttributeValues: { ":v": before.version } }
                : { ConditionExpression: "attribute_not_exists(PK)" }),
            },
          },
          onConditionFailed: preconditionFailed,
        },
      ],
    );
  }

  async remove(owner: Owner, ruleId: string, expected?: number): Promise<void> {
    const rule = await this.require(owner, ruleId);
    assertVersion(rule.version, expected);
    await writeAudited(
      this.store.db,
      this.store.tables.auditLogs,
      { owner, action: "rule.delete", entityId: ruleId, before: rule },
      [
        {
          item: {
            Delete: {
              TableName: this.store.tables.budgets,
              Key: keys.rule(owner, ruleId),
              ConditionExpression: "version = :v",
              ExpressionAttributeValues: { ":v": rule.version },
            },
          },
          onConditionFailed: preconditionFailed,
        },
      ],
    );
  }
}
