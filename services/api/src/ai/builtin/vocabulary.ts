import type { Vocabulary } from "./intents";
import type { UserContext } from "./turn";

/** The names a user's questions may use, from their context: the budget's categories, their goals and cards. */
export function vocabularyOf(context: UserContext | null, today: string): Vocabulary {
  if (!context) return { today };
  return {
    today,
    currency: context.currency,
    categories: (context.budget?.categories ?? []).map((c) => ({
      categoryId: c.categoryId,
      name: c.name,
      type: c.type,
    })),
    goals: context.goals.map((g) => ({ goalId: g.goalId, name: g.name })),
    cards: context.cards.map((c) => c.name),
  };
}
