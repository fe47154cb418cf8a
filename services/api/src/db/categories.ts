import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { type DefaultCategory, RESERVED_CATEGORY_SLUGS, slugify } from "@tyche/core";
import type { Category, CategoryCreate, CategoryUpdate } from "@tyche/types";
import { ulid } from "ulid";
import { assertVersion } from "../http/etag";
import { invalidField, notFound, preconditionFailed } from "../http/problem";
import { keys, type Owner, ownerKey, prefixes } from "./keys";
import { queryPrefix } from "./query";
import type { Store } from "./store";
import { type WriteOp, writeAudited } from "./transact";

const PALETTE = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7"];

type CategoryItem = Category & { PK: string; SK: string; entity: "category" };

function toCategory(item: Record<string, unknown>): Category {
  const { PK: _pk, SK: _sk, entity: _e, ...rest } = item as CategoryItem;
  return rest;
}

/** The items that create one category: the category and the claim that keeps its slug unique. */
export function newCategoryOps(
  store: Store,
  owner: Owner,
  input: DefaultCategory & { limit?: number },
  now: string,
) {
  const category: Category = {
    categoryId: ulid(),
    name: input.name,
    type: input.type,
    group: input.group,
    color: input.color,
    ...(input.limit !== undefined ? { limit: input.limit } : {}),
    archived: false,
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
  const ops: WriteOp[] = [
    {
      item: {
        Put: {
          TableName: store.tables.budgets,
          Item: { ...keys.category(owner, category.categoryId), entity: "category", ...category },
          ConditionExpression: "attribute_not_exists(PK)",
        },
      },
    },
    {
      item: {
        Put: {
          TableName: store.tables.budgets,
          Item: {
            ...keys.categoryTypeClaim(owner, category.type),
            entity: "categoryTypeClaim",
            categoryId: category.categoryId,
          },
          ConditionExpression: "attribute_not_exists(PK)",
        },
      },
      onConditionFailed: () =>
        invalidField(
          "type",
          `"${category.type}" is already used by another category (archived ones included)`,
        ),
    },
  ];
  return { category, ops };
}

export class CategoryRepository {
  constructor(private readonly store: Store) {}

  async list(owner: Owner, includeArchived: boolean): Promise<Category[]> {
    const out: Category[] = [];
    for await (const item of queryPrefix(
      this.store.db,
      this.store.tables.budgets,
      ownerKey(owner),
      prefixes.category,
    )) {
      out.push(toCategory(item));
    }
    return out
      .filter((c) => includeArchived || !c.archived)
      .sort((a, b) => a.name.localeCompare(b.name) || a.categoryId.localeCompare(b.categoryId));
  }

  /** Every category of the user, archived ones too, by id: what budgets and transactions resolve against. */
  async byId(owner: Owner): Promise<Map<string, Category>> {
    return new Map((await this.list(owner, true)).map((c) => [c.categoryId, c]));
  }

  async get(owner: Owner, categoryId: string): Promise<Category | undefined> {
    const { Item } = await this.store.db.send(
      new GetCommand({ TableName: this.store.tables.budgets, Key: keys.category(owner, categoryId) }),
    );
    return Item ? toCategory(Item) : undefined;
  }

  async require(owner: Owner, categoryId: string): Promise<Category> {
    const category = await this.get(owner, categoryId);
    if (!category) throw notFound("Category");
    return category;
  }

  async create(owner: Owner, input: CategoryCreate): Promise<Category> {
    const type = input.type ?? slugify(input.name);
    if (!type) throw invalidField("type", "cannot be derived from this name; give a type such as groceries");
    if (RESERVED_CATEGORY_SLUGS.includes(type))
      throw invalidField("type", `"${type}" is reserved; choose another`);
    const color = input.color ?? PALETTE[Math.floor(Math.random() * PALETTE.length)] ?? "#4e79a7";
    const { category, ops } = newCategoryOps(
      this.store,
      owner,
      { ...input, type, color },
      new Date().toISOString(),
    );
    await writeAudited(
      this.store.db,
      this.store.tables.auditLogs,
      {
        owner,
        action: "category.create",
        entityId: category.categoryId,
        after: category,
      },
      ops,
    );
    return category;
  }

  async update(
    owner: Owner,
    categoryId: string,
    patch: CategoryUpdate,
    expected?: number,
  ): Promise<Category> {
    const current = await this.require(owner, categoryId);
    assertVersion(current.version, expected);
    const { limit, ...rest } = patch;
    const next: Category = {
      ...current,
      ...rest,
      version: current.version + 1,
      updatedAt: new Date().toISOString(),
    };
    if (limit === null) delete next.limit;
    else if (limit !== undefined) next.limit = limit;
    await writeAudited(
      this.store.db,
      this.store.tables.auditLogs,
      {
        owner,
        action: "category.update",
        entityId: categoryId,
        before: current,
        after: next,
      },
      [this.replaceOp(owner, next, current.version)],
    );
    return next;
  }

  /**
   * Deletes a category that no month plans and no transaction names; one in use is archived
   * instead, so past months and transactions keep their names and colours. Returns what happened.
   */
  async remove(
    owner: Owner,
    categoryId: string,
    /** Asked only once the category is known to exist and the version matches. */
    inUse: () => Promise<boolean>,
    expected?: number,
  ): Promise<"deleted" | "archived"> {
    const current = await this.require(owner, categoryId);
    assertVersion(current.version, expected);
    if (await inUse()) {
      if (current.archived) return "archived";
      const next = {
        ...current,
        archived: true,
        version: current.version + 1,
        updatedAt: new Date().toISOString(),
      };
      await writeAudited(
        this.store.db,
        this.store.tables.auditLogs,
        {
          owner,
          action: "category.archive",
          entityId: categoryId,
          before: current,
          after: next,
        },
        [this.replaceOp(owner, next, current.version)],
      );
      return "archived";
    }
    await writeAudited(
      this.store.db,
      this.store.tables.auditLogs,
      {
        owner,
        action: "category.delete",
        entityId: categoryId,
        before: current,
      },
      [
        {
          item: {
            Delete: {
              TableName: this.store.tables.budgets,
              Key: keys.category(owner, categoryId),
              ConditionExpression: "version = :v",
              ExpressionAttributeValues: { ":v": current.version },
            },
          },
          onConditionFailed: preconditionFailed,
        },
        {
          item: {
            Delete: {
              TableName: this.store.tables.budgets,
              Key: keys.categoryTypeClaim(owner, current.type),
            },
          },
        },
      ],
    );
    return "deleted";
  }

  private replaceOp(owner: Owner, next: Category, expectedVersion: number): WriteOp {
    return {
      item: {
        Put: {
          TableName: this.store.tables.budgets,
          Item: { ...keys.category(owner, next.categoryId), entity: "category", ...next },
          ConditionExpression: "version = :v",
          ExpressionAttributeValues: { ":v": expectedVersion },
        },
      },
      onConditionFailed: preconditionFailed,
    };
  }
}
