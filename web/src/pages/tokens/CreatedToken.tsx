import type { CreatedPersonalAccessToken } from "@tyche/types";
import { useEffect, useRef } from "react";
import { CopyButton } from "../../ui/CopyButton";
import { McpSnippet } from "./McpSnippet";
import { SCOPE_LABELS } from "./words";

/**
 * A token just made, with its secret: the one time it is shown. It takes the focus, so that the
 * warning is read out before anything else; it lives only in the page's memory, never in storage.
 */
export function CreatedToken({ token, onDone }: { token: CreatedPersonalAccessToken; onDone: () => void }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <section className="card created-token" aria-labelledby="created-heading" data-testid="created-token">
      <h2 id="created-heading" ref={heading} tabIndex={-1}>
        Copy your new token now
      </h2>
      <p id="created-warning" className="notice">
        <strong>You will not see it again.</strong> Tyche keeps only a fingerprint of it, not the token. If
        you lose it, revoke it below and create another.
      </p>
      <p>
        <strong>{token.name}</strong> · {SCOPE_LABELS[token.scope].label}
      </p>
      <div className="secret-row">
        <label htmlFor="new-token-secret" className="sr-only">
          The token {token.name}
        </label>
        <input
          id="new-token-secret"
          className="secret"
          readOnly
          value={token.token}
          onFocus={(e) => e.currentTarget.select()}
          aria-describedby="created-warning"
          spellCheck={false}
          autoComplete="off"
        />
        <CopyButton text={token.token} label="Copy token" />
      </div>
      <McpSnippet token={token.token} />
      <button type="button" className="primary" onClick={onDone}>
        I have copied it
      </button>
    </section>
  );
}
