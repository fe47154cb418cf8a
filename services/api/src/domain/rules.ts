import { compareRules } from "@tyche/core";
import type { Rule, RuleCreate, RuleUpdate } from "@tyche/types";
import { ulid } from "ulid";
import type { z } from "zod";
import type { CategoryRepository } from "../db/categories";
import type { Owner } from "../db/keys";
import { Quotas } from "../db/quotas";
import type { RuleRepository } from "../db/rules";
import type { Store } from "../db/store";
import { commit } from "../db/transact";
import { notFound } from "../errors";
import { readCheckWrite } from "./versioned";

export function describeRule(conditions: Rule["conditions"]): string {
  if (conditions.merchant) return `Merchant ${conditions.merchant.op} "${conditions.merchant.value}"`;
  if (conditions.description)
    return `Description ${conditions.description.op} "${conditions.description.value}"`;
  return "Amount rule";
}

export class RuleService {
  constructor(
    private readonly store: Store,
    private readonly rules: RuleRepository,
    private readonly categories: CategoryRepository,
  ) {}

  /** All of a user's rules, in the order they are tried. */
  async list(owner: Owner): Promise<Rule[]> {
    return (await this.rules.list(owner)).sort(compareRules);
  }

  async get(owner: Owner, ruleId: string): Promise<Rule> {
    const rule = await this.rules.get(owner, ruleId);
    if (!rule) throw notFound("Rule");
    return rule;
  }

  async create(owner: Owner, input: z.output<typeof RuleCreate>): Promise<Rule> {
    const now = new Date().toISOString();
    const rule: Rule = {
      ruleId: ulid(),
      name: input.name ?? describeRule(input.conditions),
      priority: input.priority,
      enabled: input.enabled,
      conditions: input.conditions,
      actions: input.actions,
      version: 1,
      createdAt: now,
      updatedAt: now,
    };
    await new Quotas(this.store).take(owner, "rules", (take) =>
      commit(this.store, { owner, action: "rule.create", entityId: rule.ruleId, after: rule }, [
        this.rules.createOp(owner, rule),
        ...this.targetCheck(owner, rule),
        // Last: a refusal of the input itself wins over a missing count, so a 4xx writes nothing.
        take,
      ]),
    );
    return rule;
  }

  async update(owner: Owner, ruleId: string, patch: RuleUpdate, expected?: number): Promise<Rule> {
    return readCheckWrite(
      "Rule",
      expected,
      () => this.rules.latest(owner, ruleId),
      async (current) => {
        const next: Rule = {
          ...current,
          ...patch,
          version: current.version + 1,
          updatedAt: new Date().toISOString(),
        };
        await commit(
          this.store,
          { owner, action: "rule.update", entityId: ruleId, before: current, after: next },
          [
            this.rules.replaceOp(owner, current, next),
            ...(patch.actions ? this.targetCheck(owner, next) : []),
          ],
        );
        return next;
      },
    );
  }

  async remove(owner: Owner, ruleId: string, expected?: number): Promise<void> {
    await readCheckWrite(
      "Rule",
      expected,
      () => this.rules.latest(owner, ruleId),
      async (current) =>
        commit(this.store, { owner, action: "rule.delete", entityId: ruleId, before: current }, [
          this.rules.deleteOp(owner, current),
          await new Quotas(this.store).releaseOp(owner, "rules"),
        ]),
    );
  }

  /** A rule may only file transactions into one of the user's active categories: checked in its write. */
  private targetCheck(owner: Owner, rule: Rule) {
    const id = rule.actions.categoryId;
    return id ? [this.categories.activeCheckOp(owner, id, "actions.categoryId")] : [];
  }
}
