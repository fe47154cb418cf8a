/**
 * The dashboard's charts, in a module of their own so that recharts arrives only when a chart is
 * drawn (ChartPanels imports this lazily). Each chart is a picture of a table that ChartPanels
 * gives beside it for screen readers, so the charts themselves are hidden from them.
 */
import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { compactMoney, tooltipStyle, useTheme } from "../../ui/chart-theme";
import { money } from "../../ui/format";
import { MoneyBars } from "../../ui/MoneyBars";

export interface BudgetBarDatum {
  name: string;
  budgeted: number;
  spent: number;
}

const BUDGETED_AND_SPENT = [
  { key: "budgeted", name: "Budgeted", tone: "muted" },
  { key: "spent", name: "Spent", tone: "accent" },
] as const;

export function BudgetBars({ data, currency }: { data: BudgetBarDatum[]; currency: string }) {
  return (
    <MoneyBars
      data={data}
      currency={currency}
      series={BUDGETED_AND_SPENT}
      rowHeight={34}
      minHeight={240}
      labelWidth={110}
      margin={{ top: 8, right: 16, bottom: 8, left: 8 }}
    />
  );
}

export interface DailyDatum {
  day: number;
  cumulative: number | null;
  pace: number;
}

export function DailyLines({ data, currency }: { data: DailyDatum[]; currency: string }) {
  const t = useTheme();
  return (
    <ResponsiveContainer width="100%" height={280}>
      <LineChart data={data} margin={{ left: 8, right: 16, top: 8, bottom: 8 }} accessibilityLayer={false}>
        <CartesianGrid stroke={t.border} strokeDasharray="3 3" />
        <XAxis
          dataKey="day"
          tick={{ fill: t.muted, fontSize: 12 }}
          stroke={t.border}
          interval="preserveStartEnd"
        />
        <YAxis
          tickFormatter={(v: number) => compactMoney(v, currency)}
          tick={{ fill: t.muted, fontSize: 12 }}
          stroke={t.border}
          width={64}
        />
        <Tooltip
          formatter={(v) => money(Number(v), currency)}
          labelFormatter={(day) => `Day ${String(day)}`}
          contentStyle={tooltipStyle(t)}
          labelStyle={{ color: t.text }}
        />
        <Line
          type="monotone"
          dataKey="pace"
          name="Budget pace"
          stroke={t.muted}
          strokeDasharray="6 4"
          strokeWidth={2}
          dot={false}
          isAnimationActive={false}
        />
        <Line
          type="monotone"
          dataKey="cumulative"
          name="Spent so far"
          stroke={t.accent}
          strokeWidth={3}
          dot={false}
          connectNulls={false}
          isAnimationActive={false}
        />
      </LineChart>
    </ResponsiveContainer>
  );
}
