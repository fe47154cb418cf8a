/**
 * The assistant's own chart, in a module of its own so that recharts arrives only when it is drawn
 * (the cards import it lazily). Like every chart in Tyche it pictures figures given in words and
 * in a table beside it, so it is hidden from screen readers.
 */
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { compactMoney, tooltipStyle, useTheme } from "../../../ui/chart-theme";
import { money } from "../../../ui/format";

export interface AmountDatum {
  name: string;
  amount: number;
}

/** One amount per row, largest first as given: spending by category, merchant, account or month. */
export function AmountBars({ data, currency }: { data: AmountDatum[]; currency: string }) {
  const t = useTheme();
  return (
    <ResponsiveContainer width="100%" height={Math.max(160, data.length * 30 + 50)}>
      <BarChart
        data={data}
        layout="vertical"
        margin={{ left: 4, right: 12, top: 4, bottom: 4 }}
        accessibilityLayer={false}
      >
        <CartesianGrid stroke={t.border} strokeDasharray="3 3" horizontal={false} />
        <XAxis
          type="number"
          tickFormatter={(v: number) => compactMoney(v, currency)}
          tick={{ fill: t.muted, fontSize: 12 }}
          stroke={t.border}
        />
        <YAxis
          type="category"
          dataKey="name"
          width={96}
          tick={{ fill: t.text, fontSize: 12 }}
          stroke={t.border}
        />
        <Tooltip
          formatter={(v) => money(Number(v), currency)}
          contentStyle={tooltipStyle(t)}
          labelStyle={{ color: t.text }}
          cursor={{ fill: t.border, opacity: 0.3 }}
        />
        <Bar dataKey="amount" name="Spent" fill={t.accent} radius={[0, 3, 3, 0]} isAnimationActive={false} />
      </BarChart>
    </ResponsiveContainer>
  );
}

export interface CompareDatum {
  name: string;
  now: number;
  proposed: number;
}

/** Each category's limit now and as proposed: the colours of the debt page's legend (muted, then accent). */
export function CompareBars({ data, currency }: { data: CompareDatum[]; currency: string }) {
  const t = useTheme();
  return (
    <ResponsiveContainer width="100%" height={Math.max(160, data.length * 40 + 50)}>
      <BarChart
        data={data}
        layout="vertical"
        margin={{ left: 4, right: 12, top: 4, bottom: 4 }}
        accessibilityLayer={false}
      >
        <CartesianGrid stroke={t.border} strokeDasharray="3 3" horizontal={false} />
        <XAxis
          type="number"
          tickFormatter={(v: number) => compactMoney(v, currency)}
          tick={{ fill: t.muted, fontSize: 12 }}
          stroke={t.border}
        />
        <YAxis
          type="category"
          dataKey="name"
          width={96}
          tick={{ fill: t.text, fontSize: 12 }}
          stroke={t.border}
        />
        <Tooltip
          formatter={(v) => money(Number(v), currency)}
          contentStyle={tooltipStyle(t)}
          labelStyle={{ color: t.text }}
          cursor={{ fill: t.border, opacity: 0.3 }}
        />
        <Bar dataKey="now" name="Now" fill={t.muted} radius={[0, 3, 3, 0]} isAnimationActive={false} />
        <Bar
          dataKey="proposed"
          name="Proposed"
          fill={t.accent}
          radius={[0, 3, 3, 0]}
          isAnimationActive={false}
        />
      </BarChart>
    </ResponsiveContainer>
  );
}
