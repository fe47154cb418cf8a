import type { PersonalAccessToken } from "@tyche/types";
import { useRevokeToken } from "../../api/tokens";
import { Confirm } from "../../ui/Confirm";
import { ErrorMessage } from "../../ui/ErrorMessage";
import { useModes } from "../../ui/useModes";
import { createdWords, expiryWords, lastUsedWords, SCOPE_LABELS, STATUS_LABELS, tokenHint } from "./words";

/** One token: what it is for, what it may do, when it was made and last used, until when; revoking it. */
export function TokenItem({
  token,
  onDone,
}: {
  token: PersonalAccessToken;
  /** Says what happened on the page, with the focus there: the revoke button is gone after. */
  onDone: (message: string) => void;
}) {
  const { mode, setMode, button } = useModes<"confirm-revoke">();
  const revoke = useRevokeToken();
  const headingId = `token-${token.tokenId}`;
  return (
    <li className={`card token-card token-${token.status}`} data-testid="token">
      <div className="token-head">
        <h3 id={headingId}>{token.name}</h3>
        <span className={`badge token-status-${token.status}`} data-testid="token-status">
          {STATUS_LABELS[token.status]}
        </span>
      </div>
      <dl className="facts token-facts">
        <div>
          <dt>May</dt>
          <dd data-testid="token-scope">{SCOPE_LABELS[token.scope].label}</dd>
        </div>
        <div>
          <dt>Token</dt>
          <dd>
            <code data-testid="token-hint">{tokenHint(token)}</code>
          </dd>
        </div>
        <div>
          <dt>Created</dt>
          <dd data-testid="token-created">{createdWords(token)}</dd>
        </div>
        <div>
          <dt>{token.status === "expired" ? "Expired" : "Expires"}</dt>
          <dd data-testid="token-expires">{expiryWords(token)}</dd>
        </div>
        <div>
          <dt>Last used</dt>
          <dd data-testid="token-last-used">{lastUsedWords(token)}</dd>
        </div>
      </dl>
      {token.status === "active" &&
        (mode === "confirm-revoke" ? (
          <Confirm
            question={`Revoke ${token.name}? Anything using it stops working at once. This cannot be undone.`}
            error={<ErrorMessage error={revoke.error} />}
            pending={revoke.isPending}
            yes="Revoke it"
            no="Keep it"
            onYes={() =>
              revoke.mutateAsync(token).then(
                () => {
                  setMode("view");
                  onDone(`${token.name} was revoked: it no longer works.`);
                },
                () => undefined,
              )
            }
            onNo={() => setMode("view")}
          />
        ) : (
          <div className="button-row">
            <button
              ref={button("confirm-revoke")}
              type="button"
              onClick={() => {
                revoke.reset();
                setMode("confirm-revoke");
              }}
              aria-describedby={headingId}
            >
              Revoke
            </button>
          </div>
        ))}
    </li>
  );
}
