import { DEFAULT_CATEGORIES, RESERVED_CATEGORY_SLUGS, slugify } from "@tyche/core";
import type { Category, CategoryCreate, CategoryUpdate } from "@tyche/types";
import { ulid } from "ulid";
import { CategoryChangedMeanwhile, type CategoryRepository } from "../db/categories";
import type { Owner } from "../db/keys";
import { Quotas } from "../db/quotas";
import type { Store } from "../db/store";
import { commit, type WriteOp } from "../db/transact";
import { invalidField, notFound } from "../errors";
import { readCheckWrite } from "./versioned";

const PALETTE = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7"];

function newCategory(
  input: Omit<Category, "categoryId" | "archived" | "version" | "createdAt" | "updatedAt">,
  now: string,
): Category {
  return {
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
}

export class CategoryService {
  constructor(
    private readonly store: Store,
    private readonly categories: CategoryRepository,
  ) {}

  async list(owner: Owner, includeArchived: boolean): Promise<Category[]> {
    return (await this.categories.list(owner))
      .filter((c) => includeArchived || !c.archived)
      .sort((a, b) => a.name.localeCompare(b.name) || a.categoryId.localeCompare(b.categoryId));
  }

  async get(owner: Owner, categoryId: string): Promise<Category> {
    const found = await this.categories.get(owner, categoryId);
    if (!found) throw notFound("Category");
    return found;
  }

  /** The writes that give a new user the default categories, for the sign-up's own transaction. */
  defaultCategoryOps(owner: Owner, now: string): WriteOp[] {
    return DEFAULT_CATEGORIES.flatMap((c) => this.categories.createOps(owner, newCategory(c, now)));
  }

  async create(owner: Owner, input: CategoryCreate): Promise<Category> {
    const type = input.type ?? slugify(input.name);
    if (!type) throw invalidField("type", "cannot be derived from this name; give a type such as groceries");
    if (RESERVED_CATEGORY_SLUGS.includes(type))
      throw invalidField("type", `"${type}" is reserved; choose another`);
    const color = input.color ?? PALETTE[Math.floor(Math.random() * PALETTE.length)] ?? "#4e79a7";
    const category = newCategory({ ...input, type, color }, new Date().toISOString());
    await new Quotas(this.store).take(owner, "categories", (take) =>
      commit(
        this.store,
        { owner, action: "category.create", entityId: category.categoryId, after: category },
        [...this.categories.createOps(owner, category), take],
      ),
    );
    return category;
  }

  async update(
    owner: Owner,
    categoryId: string,
    patch: CategoryUpdate,
    expected?: number,
  ): Promise<Category> {
    return readCheckWrite(
      "Category",
      expected,
      () => this.categories.latest(owner, categoryId),
      async (stored) => {
        const { useCount: _count, usesCounted: _counted, ...current } = stored;
        const { limit, ...rest } = patch;
        const next: Category = {
          ...current,
          ...rest,
          version: current.version + 1,
          updatedAt: new Date().toISOString(),
        };
        if (limit === null) delete next.limit;
        else if (limit !== undefined) next.limit = limit;
        await commit(
          this.store,
          { owner, action: "category.update", entityId: categoryId, before: current, after: next },
          [this.categories.replaceOp(owner, stored, next)],
        );
        return next;
      },
    );
  }

  /**
   * Deletes a category that no month plans and no transaction names; one in use is archived
   * instead, so past months and transactions keep their names and colours. The delete is
   * conditional on the use count it read, so a transaction written meanwhile makes it an archive.
   */
  async remove(owner: Owner, categoryId: string, expected?: number): Promise<"deleted" | "archived"> {
    return readCheckWrite(
      "Category",
      expected,
      () => this.categories.latest(owner, categoryId),
      async (stored): Promise<"deleted" | "archived"> => {
        const { useCount, usesCounted, ...current } = stored;
        if (useCount === 0 && usesCounted) {
          try {
            await commit(
              this.store,
              { owner, action: "category.delete", entityId: categoryId, before: current },
              [
                ...this.categories.deleteUnusedOps(owner, stored),
                await new Quotas(this.store).releaseOp(owner, "categories"),
              ],
            );
            return "deleted";
          } catch (err) {
            if (!(err instanceof CategoryChangedMeanwhile)) throw err;
            // Used or changed since the read: archiving at the version read tells which.
          }
        }
        if (current.archived) return "archived";
        const next: Category = {
          ...current,
          archived: true,
          version: current.version + 1,
          updatedAt: new Date().toISOString(),
        };
        await commit(
          this.store,
          { owner, action: "category.archive", entityId: categoryId, before: current, after: next },
          [this.categories.replaceOp(owner, stored, next)],
        );
        return "archived";
      },
    );
  }
}
