import type { Budget } from "@tyche/types";
import { useEffect, useRef } from "react";
import { money } from "../../ui/format";
import type { LiveFigures, PlanRow } from "./plan";

/**
 * A save refused because the plan changed elsewhere (412, or 409 when another tab created it
 * first). Says so in words, shows the plan as it is stored now beside the person's own, and lets
 * them keep theirs (saved over the new version) or take the stored one. Nothing typed is lost.
 */
export function ConflictPanel({
  stored,
  mine,
  rows,
  currency,
  busy,
  onKeepMine,
  onTakeStored,
}: {
  stored: Budget | null;
  mine: LiveFigures;
  rows: readonly PlanRow[];
  currency: string;
  busy: boolean;
  onKeepMine: () => void;
  onTakeStored: () => void;
}) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const storedLimits = new Map((stored?.categories ?? []).map((c) => [c.categoryId, c.limit]));
  const lines = [
    { id: "income", name: "Income", theirs: stored?.totalIncome ?? 0, yours: mine.totalIncome },
    ...rows.map((r) => ({
      id: r.categoryId,
      name: r.name,
      theirs: storedLimits.get(r.categoryId) ?? 0,
      yours: mine.limits[r.categoryId] ?? 0,
    })),
  ];
  const differing = lines.filter((l) => l.theirs !== l.yours);
  return (
    <section className="card conflict" aria-labelledby="conflict-heading">
      <h2 id="conflict-heading" tabIndex={-1} ref={heading}>
        Not saved yet: the plan changed elsewhere
      </h2>
      <p role="alert">
        {stored
          ? `While you were editing, this month's plan was changed in another tab or device (it is now at version ${stored.version}). Your edits are still here; nothing was saved over anything.`
          : "While you were editing, this month's plan was archived in another tab or device. Your edits are still here."}
      </p>
      {stored && (
        <table>
          <caption>
            {differing.length === 0
              ? "The stored plan has the same figures as yours."
              : `Where the stored plan differs from yours (${differing.length})`}
          </caption>
          <thead>
            <tr>
              <th scope="col">Item</th>
              <th scope="col" className="amount">
                Stored now
              </th>
              <th scope="col" className="amount">
                Yours
              </th>
            </tr>
          </thead>
          <tbody>
            {differing.map((l) => (
              <tr key={l.id}>
                <th scope="row">{l.name}</th>
                <td className="amount">{money(l.theirs, currency)}</td>
                <td className="amount">{money(l.yours, currency)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="actions">
        <button type="button" className="primary" onClick={onKeepMine} disabled={busy}>
          {busy ? "Saving…" : "Keep my edits"}
        </button>
        <button type="button" onClick={onTakeStored} disabled={busy}>
          {stored ? "Use the stored plan" : "Discard my edits"}
        </button>
      </div>
    </section>
  );
}
