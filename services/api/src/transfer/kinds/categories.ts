import { Category } from "@tyche/types";
import { doing, plannedId, type RunContext } from "../context";
import { planCategories } from "../plan";

/**
 * Categories: custom ones created, the defaults and anything already there matched (by name, then
 * slug) and brought to the source's name, group, colour and default limit. Every category stays
 * active while the run writes what names it; those the source archived are archived by `finish`.
 */
export class CategoryState {
  /** The target's categories as last written or read, by id. */
  private readonly target = new Map<string, Category>();
  /** Target ids of categories the source has archived. */
  private readonly archivedInSource = new Set<string>();

  constructor(private readonly ctx: RunContext) {}

  async transfer(): Promise<void> {
    const { ctx } = this;
    const [source, target] = await Promise.all([
      ctx.source.items("/v1/categories", Category, { includeArchived: "true" }),
      ctx.target.items("/v1/categories", Category, { includeArchived: "true" }),
    ]);
    for (const c of target) this.target.set(c.categoryId, c);
    // Active ones first, so that a name both an active and an archived category carry finds the active one.
    const ordered = [...source].sort((a, b) => Number(a.archived) - Number(b.archived));
    for (const step of planCategories(ordered, target)) {
      const name = step.source.name;
      if (step.action === "skip") continue;
      if (step.action === "same") {
        ctx.tally.count("categories", "unchanged");
        this.map(step.source, step.target.categoryId);
        continue;
      }
      if (step.action === "create") {
        ctx.io.out(`categories: ${doing(ctx, "creating", "create")} "${name}"`);
        ctx.tally.count("categories", "created");
        if (ctx.dryRun) {
          this.map(step.source, plannedId(step.source.categoryId));
          continue;
        }
        const created = await ctx.target.json("POST", "/v1/categories", Category, { body: step.body });
        this.target.set(created.categoryId, created);
        this.map(step.source, created.categoryId);
        continue;
      }
      ctx.io.out(
        `categories: ${doing(ctx, "updating", "update")} "${step.target.name}" (${Object.keys(step.patch).join(", ")})`,
      );
      ctx.tally.count("categories", "updated");
      this.map(step.source, step.target.categoryId);
      if (ctx.dryRun) continue;
      const updated = await ctx.target.json("PUT", `/v1/categories/${step.target.categoryId}`, Category, {
        body: step.patch,
        ifMatch: step.target.version,
      });
      this.target.set(updated.categoryId, updated);
    }
  }

  private map(source: Category, targetId: string): void {
    this.ctx.categories.set(source.categoryId, targetId);
    if (source.archived) this.archivedInSource.add(targetId);
  }

  /**
   * Restores a target category before a write names it (a budget may not newly plan an archived
   * one, nor a rule, template or goal name one). `finish` archives it again if the source has.
   */
  async ensureActive(targetId: string | null | undefined): Promise<void> {
    if (!targetId || this.ctx.dryRun) return;
    const current = this.target.get(targetId);
    if (!current?.archived) return;
    this.ctx.io.out(`categories: restoring "${current.name}" while it is written to`);
    const restored = await this.ctx.target.json("PUT", `/v1/categories/${targetId}`, Category, {
      body: { archived: false },
      ifMatch: current.version,
    });
    this.target.set(targetId, restored);
  }

  /** Archives what the source has archived, read again: the import restores archived categories its rows name. */
  async finish(): Promise<void> {
    const { ctx } = this;
    if (ctx.dryRun || !this.archivedInSource.size) return;
    for (const c of await ctx.target.items("/v1/categories", Category, { includeArchived: "true" })) {
      if (!this.archivedInSource.has(c.categoryId) || c.archived) continue;
      ctx.io.out(`categories: archiving "${c.name}", as the source has it`);
      await ctx.target.json("PUT", `/v1/categories/${c.categoryId}`, Category, {
        body: { archived: true },
        ifMatch: c.version,
      });
    }
  }
}
