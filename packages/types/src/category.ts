import { z } from "zod";
import { Cents, Id, Instant, Version } from "./primitives";

export const CATEGORY_GROUPS = ["essential", "discretionary", "savings", "debt"] as const;
export const CategoryGroup = z.enum(CATEGORY_GROUPS);
export type CategoryGroup = z.infer<typeof CategoryGroup>;

/** The slug that transactions and analytics index by, e.g. `groceries`. */
export const CategoryType = z
  .string()
  .max(40)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, { error: "must be a lowercase slug such as groceries" });

const Name = z.string().trim().min(1, { error: "must not be empty" }).max(60);
const Color = z.string().regex(/^#[0-9a-fA-F]{6}$/, { error: "must be a colour as #rrggbb" });

export const CategoryCreate = z.strictObject({
  name: Name,
  type: CategoryType.optional().describe("Defaults to a slug of the name; cannot change later"),
  group: CategoryGroup,
  color: Color.optional(),
  limit: Cents.optional().describe("Default monthly limit used when a budget is planned"),
});
export type CategoryCreate = z.infer<typeof CategoryCreate>;

export const CategoryUpdate = z.strictObject({
  name: Name.optional(),
  group: CategoryGroup.optional(),
  color: Color.optional(),
  limit: Cents.nullable().optional().describe("null removes the default limit"),
  archived: z.boolean().optional().describe("false restores an archived category"),
});
export type CategoryUpdate = z.infer<typeof CategoryUpdate>;

export const Category = z.object({
  categoryId: Id,
  name: z.string(),
  type: CategoryType,
  group: CategoryGroup,
  color: z.string(),
  limit: Cents.optional(),
  archived: z.boolean(),
  version: Version,
  createdAt: Instant,
  updatedAt: Instant,
});
export type Category = z.infer<typeof Category>;
