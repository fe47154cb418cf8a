import { COUNT_NAMES, type Counts, countWords } from "./words";

/** An import's counts in words, each its own line; what the preview will do or what the import did. */
export function CountList({ counts, phase }: { counts: Counts; phase: "preview" | "result" }) {
  return (
    <ul className="import-counts">
      {COUNT_NAMES.map((name) => (
        <li key={name} data-count={name} className={counts[name] ? undefined : "muted"}>
          <strong className="count">{counts[name]}</strong> {countWords(name, counts[name], phase)}
        </li>
      ))}
    </ul>
  );
}
