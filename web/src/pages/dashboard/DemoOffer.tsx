import { ErrorMessage } from "../../ui/ErrorMessage";
import type { DemoData } from "./useDemoData";

/** The first-run offer: six months of made-up money to look around with, and its progress. */
export function DemoOffer({ demo }: { demo: DemoData }) {
  const p = demo.progress;
  return (
    <section className="card demo-offer" aria-labelledby="demo-heading">
      <h2 id="demo-heading">Try Tyche with demo data</h2>
      <p>
        See what the dashboard does before entering your own money: this fills your account with six months of
        made-up but realistic data ending this month. That is a checking and a savings account, two credit
        cards that carry a balance, a budget for each month and about fifty transactions a month, written
        through the same API your own entries go through.
      </p>
      <button type="button" className="primary" onClick={() => demo.mutate()} disabled={demo.isPending}>
        {demo.isPending ? "Filling with demo data…" : demo.isError ? "Try again" : "Fill with demo data"}
      </button>
      {(demo.isPending || demo.isError) && p && (
        <div className="demo-progress">
          <label htmlFor="demo-progress">Demo data</label>
          <progress id="demo-progress" max={p.total} value={p.done}>
            {p.done} of {p.total}
          </progress>
          <p role="status">
            {p.step} ({p.done} of {p.total} steps)
          </p>
        </div>
      )}
      {demo.isError && (
        <>
          <ErrorMessage error={demo.error} />
          <p className="muted">What was written stays; trying again adds only what is missing.</p>
        </>
      )}
    </section>
  );
}
