import { Category } from "@tyche/types";
import { z } from "zod";
import { invalidField } from "../errors";
import { Entity } from "./entity";
import { keys, type Owner, ownerKey, prefixes } from "./keys";
import type { Store } from "./store";
import type { WriteOp } from "./transact";

/**
 * A category as stored: the API's shape plus `useCount`, how many budget months and transactions
 * name it. Every write that starts or stops naming a category moves the count in its own
 * transaction, so a delete conditional on a zero count cannot strand anything that points at it.
 */
const StoredCategory = Category.extend({
  useCount: z.number().int().optional(),
  /**
   * Set on categories counted from their creation. One made before counting began has uses its
   * count never saw, so a zero there proves nothing: it is archived, never deleted.
   */
  usesCounted: z.boolean().optional(),
});
export type StoredCategory = z.infer<typeof StoredCategory>;

const TypeClaim = z.object({ categoryId: z.string(), type: z.string() });

/** A change in how many things name one category, and where the request named it. */
export interface CategoryUse {
  categoryId: string;
  delta: number;
  /** Newly named by this write: the category must still exist and be active when it lands. */
  fresh: boolean;
  /** The request field that names it, for the error when the check fails. */
  path: string;
}

export class CategoryRepository {
  private readonly categories: Entity<StoredCategory>;
  private readonly claims: Entity<z.infer<typeof TypeClaim>>;

  constructor(store: Store) {
    this.categories = new Entity(store, {
      name: "category",
      table: "budgets",
      schema: StoredCategory,
      key: (o, c) => keys.category(o, c.categoryId),
      counters: ["useCount", "usesCounted"],
    });
    this.claims = new Entity(store, {
      name: "categoryTypeClaim",
      table: "budgets",
      schema: TypeClaim,
      key: (o, c) => keys.categoryTypeClaim(o, c.type),
    });
  }

  /** Every category of the user, archived ones too; `consistent` when the list decides a write. */
  async list(owner: Owner, consistent = false): Promise<Category[]> {
    return (await this.categories.query(ownerKey(owner), prefixes.category, consistent)).map(toCategory);
  }

  /**
   * Every category of the user by id. `forWrite`: strongly consistent, for what budgets and
   * transactions are checked against before they are written (a category created a moment ago must
   * be found); a page that only shows names and colours reads the cheaper way.
   */
  async byId(owner: Owner, forWrite: boolean): Promise<Map<string, Category>> {
    return new Map((await this.list(owner, forWrite)).map((c) => [c.categoryId, c]));
  }

  /** A check, inside a write, that the category exists and is active. */
  activeCheckOp(owner: Owner, categoryId: string, path: string): WriteOp {
    return {
      item: {
        ConditionCheck: {
          TableName: this.categories.table,
          Key: keys.category(owner, categoryId),
          ConditionExpression: "attribute_exists(PK) AND archived = :active",
          ExpressionAttributeValues: { ":active": false },
        },
      },
      onConditionFailed: () => invalidField(path, "is not one of your active categories"),
    };
  }

  async get(owner: Owner, categoryId: string): Promise<Category | undefined> {
    const found = await this.categories.get(keys.category(owner, categoryId));
    return found && toCategory(found);
  }

  /** Strongly consistent, with the use count: for deciding a write. */
  latest(owner: Owner, categoryId: string): Promise<StoredCategory | undefined> {
    return this.categories.latest(keys.category(owner, categoryId));
  }

  /** The category (counted as unused) and the claim that keeps its slug unique. */
  createOps(owner: Owner, category: Category): WriteOp[] {
    return [
      this.categories.createOp(owner, { ...category, useCount: 0, usesCounted: true }),
      this.claims.createOp(owner, { categoryId: category.categoryId, type: category.type }, () =>
        invalidField(
          "type",
          `"${category.type}" is already used by another category (archived ones included)`,
        ),
      ),
    ];
  }

  replaceOp(owner: Owner, current: StoredCategory, next: Category): WriteOp {
    return this.categories.replaceOp(owner, current, next);
  }

  /** Deletes the category and frees its slug, only while nothing names it. */
  deleteUnusedOps(owner: Owner, current: StoredCategory): WriteOp[] {
    return [
      {
        ...this.categories.deleteOp(owner, current, {
          condition: "useCount = :unused AND usesCounted = :counted",
          values: { ":unused": 0, ":counted": true },
        }),
        onConditionFailed: () => new CategoryChangedMeanwhile(),
      },
      {
        item: { Delete: { TableName: this.claims.table, Key: keys.categoryTypeClaim(owner, current.type) } },
      },
    ];
  }

  /** Moves use counts; each op is also the check that the category still exists (and is active). */
  useOps(owner: Owner, uses: readonly CategoryUse[]): WriteOp[] {
    return uses
      .filter((u) => u.delta !== 0)
      .map((u) => ({
        item: {
          Update: {
            TableName: this.categories.table,
            Key: keys.category(owner, u.categoryId),
            UpdateExpression: "ADD useCount :delta",
            ConditionExpression: u.fresh
              ? "attribute_exists(PK) AND archived = :active"
              : "attribute_exists(PK)",
            ExpressionAttributeValues: { ":delta": u.delta, ...(u.fresh ? { ":active": false } : {}) },
          },
        },
        onConditionFailed: () => invalidField(u.path, "is not one of your active categories"),
      }));
  }
}

/** The delete's condition failed: the category was used, or changed, since it was read. */
export class CategoryChangedMeanwhile extends Error {}

const toCategory = (stored: StoredCategory): Category => Category.parse(stored);
