import { Rule } from "@tyche/types";
import { Entity } from "./entity";
import { keys, type Owner, ownerKey, prefixes } from "./keys";
import type { Store } from "./store";
import type { WriteOp } from "./transact";

/** Categorisation rules (`RULE#<id>` in tyche-budgets, beside the categories they point to). */
export class RuleRepository {
  private readonly rules: Entity<Rule>;

  constructor(store: Store) {
    this.rules = new Entity(store, {
      name: "rule",
      table: "budgets",
      schema: Rule,
      key: (o, r) => keys.rule(o, r.ruleId),
    });
  }

  list(owner: Owner): Promise<Rule[]> {
    return this.rules.query(ownerKey(owner), prefixes.rule);
  }

  get(owner: Owner, ruleId: string): Promise<Rule | undefined> {
    return this.rules.get(keys.rule(owner, ruleId));
  }

  /** Strongly consistent: for deciding a write. */
  latest(owner: Owner, ruleId: string): Promise<Rule | undefined> {
    return this.rules.latest(keys.rule(owner, ruleId));
  }

  createOp(owner: Owner, rule: Rule): WriteOp {
    return this.rules.createOp(owner, rule);
  }

  replaceOp(owner: Owner, current: Rule, next: Rule): WriteOp {
    return this.rules.replaceOp(owner, current, next);
  }

  deleteOp(owner: Owner, current: Rule): WriteOp {
    return this.rules.deleteOp(owner, current);
  }
}
