/**
 * The assistant's own charts, in a module of its own so that recharts arrives only when it is drawn
 * (the cards import it lazily). Like every chart in Tyche they picture figures given in words and
 * in a table beside them, so they are hidden from screen readers.
 */
import { MoneyBars } from "../../../ui/MoneyBars";

export interface AmountDatum {
  name: string;
  amount: number;
}

const SPENT = [{ key: "amount", name: "Spent", tone: "accent" }] as const;

/** One amount per row, largest first as given: spending by category, merchant, account or month. */
export function AmountBars({ data, currency }: { data: AmountDatum[]; currency: string }) {
  return (
    <MoneyBars
      data={data}
      currency={currency}
      series={SPENT}
      rowHeight={30}
      minHeight={160}
      labelWidth={96}
    />
  );
}

export interface CompareDatum {
  name: string;
  now: number;
  proposed: number;
}

/** The colours of the debt page's legend: muted now, accent proposed. */
const NOW_AND_PROPOSED = [
  { key: "now", name: "Now", tone: "muted" },
  { key: "proposed", name: "Proposed", tone: "accent" },
] as const;

/** Each category's limit now and as proposed. */
export function CompareBars({ data, currency }: { data: CompareDatum[]; currency: string }) {
  return (
    <MoneyBars
      data={data}
      currency={currency}
      series={NOW_AND_PROPOSED}
      rowHeight={40}
      minHeight={160}
      labelWidth={96}
    />
  );
}
