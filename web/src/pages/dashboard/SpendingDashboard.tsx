import type { Dashboard } from "@tyche/types";
import { useState } from "react";
import { useSearchParams } from "react-router";
import { useCategories, useDashboard } from "../../api/queries";
import { LoadFailed } from "../../ui/ErrorMessage";
import { currentMonth, monthLabel } from "../../ui/format";
import { AccountBalances } from "./AccountBalances";
import { CategoryCards } from "./CategoryCards";
import { BudgetChart, DailyChart } from "./ChartPanels";
import { DemoOffer } from "./DemoOffer";
import { EmptyMonth } from "./EmptyMonth";
import { GoalsPanel } from "./GoalsPanel";
import { MonthComparison } from "./MonthComparison";
import { MonthPicker } from "./MonthPicker";
import { MonthSummary } from "./MonthSummary";
import { QuickAdd } from "./QuickAdd";
import { RecentTransactions } from "./RecentTransactions";
import { Recommendations } from "./Recommendations";
import { SpendingPatterns } from "./SpendingPatterns";
import { UpcomingBills } from "./UpcomingBills";
import { useDemoData } from "./useDemoData";
import { monthOf } from "./words";
import "./dashboard.css";

/** A month without a plan or a transaction. */
const isEmptyMonth = (d: Dashboard) => !d.budget && d.analytics.totals.transactionCount === 0;
/** A user who has entered nothing yet: the demo is offered. */
const isFirstRun = (d: Dashboard) => !d.budget && d.accounts.every((a) => a.transactionCount === 0);

/** The Spending Dashboard: one month, from the one dashboard read (and the active goals beside it). */
export default function SpendingDashboard() {
  const [search, setSearch] = useSearchParams();
  const month = monthOf(search.get("month"), currentMonth());
  const dashboard = useDashboard(month);
  const categories = useCategories();
  const demo = useDemoData();
  const [demoDone, setDemoDone] = useState("");
  const setMonth = (next: string) =>
    setSearch(next === currentMonth() ? {} : { month: next }, { preventScrollReset: true });
  const fillDemo = {
    ...demo,
    mutate: () =>
      demo.mutate(undefined, {
        onSuccess: (r) =>
          setDemoDone(
            `Demo data is in: ${r.transactions} transactions from ${monthLabel(r.months[0] ?? month)} to ${monthLabel(
              r.months.at(-1) ?? month,
            )}. Use Previous month to look back.`,
          ),
      }),
  };

  const d = dashboard.data;
  const categoryName = (id: string | null) =>
    id ? (categories.data?.find((c) => c.categoryId === id)?.name ?? undefined) : undefined;

  return (
    <div className="dashboard">
      <div className="dashboard-head">
        <h1>Spending dashboard</h1>
        <MonthPicker month={month} onChange={setMonth} />
      </div>
      <p role="status" className="notice-line">
        {demoDone && <span className="notice">{demoDone}</span>}
      </p>
      {dashboard.isPending ? (
        <p className="loading" role="status">
          {dashboard.fetchStatus === "paused"
            ? `You are offline. The dashboard for ${monthLabel(month)} loads as soon as the connection is back.`
            : `Loading the dashboard for ${monthLabel(month)}…`}
        </p>
      ) : dashboard.isError ? (
        <div className="card">
          <h2>The dashboard could not be loaded</h2>
          <LoadFailed query={dashboard} />
        </div>
      ) : d && (isEmptyMonth(d) || demo.isPending) ? (
        <div className="dashboard-columns">
          <div className="dashboard-main">
            {(isFirstRun(d) || demo.isPending || demo.isError) && <DemoOffer demo={fillDemo} />}
            <EmptyMonth month={month} />
          </div>
          <div className="dashboard-side">
            <QuickAdd accounts={d.accounts} categories={categories.data ?? []} month={month} />
            <UpcomingBills />
            <GoalsPanel />
          </div>
        </div>
      ) : d ? (
        <div className="dashboard-columns" data-testid="dashboard" aria-busy={dashboard.isFetching}>
          <div className="dashboard-main">
            <MonthSummary dashboard={d} />
            <CategoryCards categories={d.analytics.categories} currency={d.analytics.currency} />
            <BudgetChart analytics={d.analytics} />
            <DailyChart analytics={d.analytics} />
            <MonthComparison categories={d.analytics.categories} currency={d.analytics.currency} />
            <Recommendations
              recommendations={d.analytics.recommendations}
              potentialSavings={d.analytics.potentialSavings}
              categories={d.analytics.categories}
              currency={d.analytics.currency}
            />
          </div>
          <div className="dashboard-side">
            <QuickAdd accounts={d.accounts} categories={categories.data ?? []} month={month} />
            <AccountBalances accounts={d.accounts} totalOwedOnCards={d.totalOwedOnCards} />
            <UpcomingBills />
            <GoalsPanel />
            <RecentTransactions
              transactions={d.recentTransactions}
              accounts={d.accounts}
              categoryName={categoryName}
            />
            <SpendingPatterns analytics={d.analytics} />
          </div>
        </div>
      ) : null}
    </div>
  );
}
