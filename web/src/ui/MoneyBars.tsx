/**
 * Horizontal bars of money, one row per name, one bar per series: the dashboard's budget against
 * spending, the assistant's spending and proposed limits. Only chart modules that are loaded
 * lazily import it, so recharts still arrives only when a chart is drawn.
 */
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { compactMoney, tooltipStyle, useTheme } from "./chart-theme";
import { money } from "./format";

export interface MoneySeries<K extends string> {
  key: K;
  name: string;
  /** The theme's colours: muted for what was, accent for what is or would be. */
  tone: "muted" | "accent";
}

export interface MoneyBarsProps<K extends string> {
  data: ({ name: string } & Record<K, number>)[];
  currency: string;
  series: readonly MoneySeries<K>[];
  /** Pixels a row takes, and the least height of the whole chart. */
  rowHeight: number;
  minHeight: number;
  /** Room for the names on the left. */
  labelWidth: number;
  margin?: { top: number; right: number; bottom: number; left: number };
}

export function MoneyBars<K extends string>({
  data,
  currency,
  series,
  rowHeight,
  minHeight,
  labelWidth,
  margin = { top: 4, right: 12, bottom: 4, left: 4 },
}: MoneyBarsProps<K>) {
  const t = useTheme();
  return (
    <ResponsiveContainer width="100%" height={Math.max(minHeight, data.length * rowHeight + 50)}>
      <BarChart data={data} layout="vertical" margin={margin} accessibilityLayer={false}>
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
          width={labelWidth}
          tick={{ fill: t.text, fontSize: 12 }}
          stroke={t.border}
        />
        <Tooltip
          formatter={(v) => money(Number(v), currency)}
          contentStyle={tooltipStyle(t)}
          labelStyle={{ color: t.text }}
          cursor={{ fill: t.border, opacity: 0.3 }}
        />
        {series.map((s) => (
          <Bar
            key={s.key}
            dataKey={s.key}
            name={s.name}
            fill={s.tone === "muted" ? t.muted : t.accent}
            radius={[0, 3, 3, 0]}
            isAnimationActive={false}
          />
        ))}
      </BarChart>
    </ResponsiveContainer>
  );
}
