import { daysInMonth } from "@tyche/core";
import { count, dateName, money, monthName } from "../format";
import type { Intent, MonthSpan } from "../intents";
import type { Transactions, UserContext } from "../turn";
import { type Answer, type Asked, couldNot } from "./common";

type SpendingIntent = Extract<Intent, { kind: "spending" }>;

const when = (span: MonthSpan) =>
  span.from === span.to
    ? `in ${monthName(span.from)}`
    : `from ${monthName(span.from)} to ${monthName(span.to)}`;

/** find_transactions' range: one month, or the days from the first month's first to the last's last. */
const range = (span: MonthSpan) =>
  span.from === span.to
    ? { month: span.from }
    : { from: `${span.from}-01`, to: `${span.to}-${String(daysInMonth(span.to)).padStart(2, "0")}` };

const key = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, "");

/** The latest few purchases, dated. */
function latest(found: Transactions, currency: string): string | null {
  const items = found.items.filter((t) => t.type === "expense").slice(0, 3);
  if (items.length === 0) return null;
  return `The latest: ${items
    .map(
      (t) =>
        `${money(t.amountInCategory ?? t.amount, currency)} at ${t.merchant ?? (t.description || "an unnamed payee")} on ${dateName(t.date)}`,
    )
    .join("; ")}.`;
}

/** Totals from spending_by, by merchant or category, with the latest purchases and the budget's limit. */
export async function* answerSpending(a: Asked, intent: SpendingIntent): Answer {
  const { span } = intent;
  const by = intent.merchant ? "merchant" : "category";
  const out = yield* a.turn.call("spending_by", { by, from: span.from, to: span.to });
  if (!out.ok) return [couldNot("total your spending", out.error)];
  const totals = out.output;
  const c = totals.currency;

  if (intent.merchant) {
    const wanted = key(intent.merchant);
    const row =
      totals.rows.find((r) => key(r.name) === wanted) ??
      totals.rows.find(
        (r) => key(r.name).includes(wanted) || (key(r.name).length > 2 && wanted.includes(key(r.name))),
      );
    if (!row) {
      const top = totals.rows.slice(0, 3).map((r) => `${r.name} ${money(r.amount, c)}`);
      return [
        `I found no spending at ${intent.merchant} ${when(span)}.`,
        ...(top.length > 0 ? [`Your largest merchants ${when(span)}: ${top.join(", ")}.`] : []),
      ];
    }
    const purchases = "count" in row && typeof row.count === "number" ? row.count : null;
    const lines = [
      `At ${row.name} you spent ${money(row.amount, c)} ${when(span)}${purchases ? `, over ${count(purchases, "purchase")}` : ""}.`,
    ];
    const found = yield* a.turn.call("find_transactions", { merchant: row.name, ...range(span), limit: 5 });
    if (found.ok) {
      const text = latest(found.output, c);
      if (text) lines.push(text);
    }
    return lines;
  }

  if (intent.category) {
    const category = intent.category;
    const row = totals.rows.find(
      (r) => r.key === category.categoryId || r.name.toLowerCase() === category.name.toLowerCase(),
    );
    let limit = "";
    if (span.from === span.to) {
      let ctx: UserContext | null = a.context;
      if (ctx?.month !== span.from) {
        const other = yield* a.turn.call("get_user_context", { month: span.from });
        ctx = other.ok ? other.output : null;
      }
      const planned = ctx?.budget?.categories.find((x) => x.type === category.type);
      const pc = ctx?.currency ?? c;
      if (planned && planned.limit > 0)
        limit =
          planned.remaining < 0
            ? `, ${money(planned.remaining, pc)} over its ${money(planned.limit, pc)} limit`
            : `, within its ${money(planned.limit, pc)} limit (${money(planned.remaining, pc)} left)`;
    }
    if (!row || row.amount === 0) return [`Nothing was spent on ${category.name} ${when(span)}${limit}.`];
    const lines = [`You spent ${money(row.amount, c)} on ${row.name} ${when(span)}${limit}.`];
    const found = yield* a.turn.call("find_transactions", {
      category: category.type,
      ...range(span),
      limit: 5,
    });
    if (found.ok) {
      const text = latest(found.output, c);
      if (text) lines.push(text);
    }
    return lines;
  }

  if (totals.total === 0 || totals.rows.length === 0) return [`Nothing was spent ${when(span)}.`];
  const top = totals.rows.slice(0, 5).map((r) => `${r.name} ${money(r.amount, c)}`);
  const rest = totals.rows.length - top.length + totals.otherRows;
  return [
    `${capitalise(when(span))} you spent ${money(totals.total, c)}: ${top.join(", ")}${rest > 0 ? `, and ${count(rest, "other category", "other categories")}` : ""}.`,
  ];
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
