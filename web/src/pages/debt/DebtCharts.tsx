/**
 * The debt page's charts, in a module of their own so that recharts arrives only when a chart is
 * drawn (the panels import this lazily). Each chart is a picture of figures the panel also gives in
 * words and in a table, so the charts themselves are hidden from screen readers.
 */
import {
  Bar,
  CartesianGrid,
  ComposedChart,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import { compactMoney, type Theme, tooltipStyle, useTheme } from "../../ui/chart-theme";
import { money } from "../../ui/format";
import { SERIES_COLOURS, seriesDash } from "./chart-keys";

const shortMonth = (month: string) =>
  new Intl.DateTimeFormat(navigator.language, { month: "short", year: "2-digit", timeZone: "UTC" }).format(
    new Date(`${month}-01T00:00:00Z`),
  );

/** Line colours, one per card (each told apart by its dash pattern too): the theme's, in SERIES_COLOURS' order. */
const seriesOf = (t: Theme) => SERIES_COLOURS.map((name) => t[name.slice(2) as keyof Theme]);

function useAxes(currency: string) {
  const theme = useTheme();
  const t = { ...theme, series: seriesOf(theme) };
  return {
    t,
    grid: <CartesianGrid stroke={t.border} strokeDasharray="3 3" />,
    x: (
      <XAxis
        dataKey="month"
        tickFormatter={shortMonth}
        tick={{ fill: t.muted, fontSize: 12 }}
        stroke={t.border}
        interval="preserveStartEnd"
        minTickGap={16}
      />
    ),
    y: (
      <YAxis
        tickFormatter={(v: number) => compactMoney(v, currency)}
        tick={{ fill: t.muted, fontSize: 12 }}
        stroke={t.border}
        width={64}
      />
    ),
    tooltip: (
      <Tooltip
        formatter={(v) => money(Number(v), currency)}
        labelFormatter={(m) => shortMonth(String(m))}
        contentStyle={tooltipStyle(t)}
        labelStyle={{ color: t.text }}
      />
    ),
  };
}

export interface Series {
  key: string;
  name: string;
}

/** Each card's balance month by month: one line per card. */
export function BalanceLines({
  series,
  data,
  currency,
}: {
  series: readonly Series[];
  data: Record<string, number | string>[];
  currency: string;
}) {
  const { t, grid, x, y, tooltip } = useAxes(currency);
  return (
    <ResponsiveContainer width="100%" height={280}>
      <LineChart data={data} margin={{ left: 8, right: 16, top: 8, bottom: 8 }} accessibilityLayer={false}>
        {grid}
        {x}
        {y}
        {tooltip}
        {series.map((s, i) => (
          <Line
            key={s.key}
            type="monotone"
            dataKey={s.key}
            name={s.name}
            stroke={t.series[i % t.series.length]}
            strokeDasharray={seriesDash(i)}
            strokeWidth={2}
            dot={false}
            isAnimationActive={false}
          />
        ))}
      </LineChart>
    </ResponsiveContainer>
  );
}

export interface WhatIfDatum {
  month: string;
  current: number;
  withChange: number;
}

/** What is owed in all, as planned and with the change. */
export function WhatIfLines({ data, currency }: { data: WhatIfDatum[]; currency: string }) {
  const { t, grid, x, y, tooltip } = useAxes(currency);
  return (
    <ResponsiveContainer width="100%" height={260}>
      <LineChart data={data} margin={{ left: 8, right: 16, top: 8, bottom: 8 }} accessibilityLayer={false}>
        {grid}
        {x}
        {y}
        {tooltip}
        <Line
          type="monotone"
          dataKey="current"
          name="As planned"
          stroke={t.series[0]}
          strokeDasharray={seriesDash(0)}
          strokeWidth={2}
          dot={false}
          isAnimationActive={false}
        />
        <Line
          type="monotone"
          dataKey="withChange"
          name="With the change"
          stroke={t.series[2]}
          strokeDasharray={seriesDash(2)}
          strokeWidth={2}
          dot={false}
          isAnimationActive={false}
        />
      </LineChart>
    </ResponsiveContainer>
  );
}

export interface ProgressDatum {
  month: string;
  totalOwed: number;
  paidToDebt: number;
}

/** Owed at each month's end (the line) and paid to the cards in it (the bars). */
export function ProgressBars({ data, currency }: { data: ProgressDatum[]; currency: string }) {
  const { t, grid, x, y, tooltip } = useAxes(currency);
  return (
    <ResponsiveContainer width="100%" height={260}>
      <ComposedChart
        data={data}
        margin={{ left: 8, right: 16, top: 8, bottom: 8 }}
        accessibilityLayer={false}
      >
        {grid}
        {x}
        {y}
        {tooltip}
        <Bar dataKey="paidToDebt" name="Paid to cards" fill={t.series[2]} isAnimationActive={false} />
        <Line
          type="monotone"
          dataKey="totalOwed"
          name="Owed"
          stroke={t.series[0]}
          strokeWidth={2}
          isAnimationActive={false}
        />
      </ComposedChart>
    </ResponsiveContainer>
  );
}
