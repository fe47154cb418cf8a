import { AnswerText } from "./AnswerText";
import { ToolResults } from "./cards";
import type { Turn } from "./useChat";
import { advisorNote } from "./words";

/** One question and its answer: the words as they arrive, who answered, the tools' cards, what went wrong. */
export function TurnView({
  turn,
  canRetry,
  onRetry,
}: {
  turn: Turn;
  canRetry: boolean;
  onRetry: (turn: Turn) => void;
}) {
  const headingId = `q-${turn.key}`;
  const note = advisorNote(turn.advisor, turn.model);
  return (
    <article className="turn" aria-labelledby={headingId} data-testid="turn" data-state={turn.state}>
      <h3 id={headingId} className="question">
        <span className="sr-only">You asked: </span>
        {turn.question}
      </h3>
      <div className="answer" data-testid="answer">
        {note && (
          <p className={`advisor-note advisor-${turn.advisor}`} data-testid="advisor-note">
            {note}
          </p>
        )}
        {turn.state === "waiting" && <p className="loading">Waiting for the answer…</p>}
        <div className="answer-text" data-testid="answer-text">
          <AnswerText text={turn.answer} />
        </div>
        <ToolResults tools={turn.tools} />
        {turn.state === "stopped" && <p className="muted">You stopped this answer.</p>}
        {turn.state === "error" && (
          <div className="turn-error">
            <p className="error" data-testid="turn-error">
              {turn.error}
            </p>
          </div>
        )}
        {(turn.state === "error" || turn.state === "stopped") && (
          <button
            type="button"
            disabled={!canRetry}
            onClick={() => onRetry(turn)}
            aria-describedby={headingId}
          >
            Ask again
          </button>
        )}
      </div>
    </article>
  );
}
