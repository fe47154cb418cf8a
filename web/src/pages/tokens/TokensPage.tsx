import type { CreatedPersonalAccessToken } from "@tyche/types";
import { useState } from "react";
import { useTokens } from "../../api/tokens";
import { LoadFailed } from "../../ui/ErrorMessage";
import { usePageTitle, useStatusLine } from "../../ui/page";
import { CreatedToken } from "./CreatedToken";
import { McpSnippet } from "./McpSnippet";
import { NewTokenForm } from "./NewTokenForm";
import { TokenItem } from "./TokenItem";
import "./tokens.css";

/**
 * Personal access tokens (`/settings/tokens`): for clients a person runs themselves, such as Tyche's
 * MCP server in Claude Desktop. Lists them (never their secrets), makes one (its secret shown once,
 * with the configuration to paste), revokes one.
 */
export default function TokensPage() {
  const tokens = useTokens();
  const [created, setCreated] = useState<CreatedPersonalAccessToken>();
  const { say, line } = useStatusLine();
  usePageTitle("Access tokens");
  const list = tokens.data ?? [];

  return (
    <div className="tokens-page">
      <h1>Access tokens</h1>
      <p className="lead">
        A personal access token lets a program of your own, such as an AI assistant on your computer, use
        Tyche as you. Give each program its own token, read only unless it must make changes, and revoke it
        when you stop using it.
      </p>
      {line}
      {created && (
        <CreatedToken
          token={created}
          onDone={() => {
            setCreated(undefined);
            say(`${created.name} is ready to use; its secret is no longer shown.`, true);
          }}
        />
      )}
      <section aria-labelledby="tokens-heading" className="tokens-list">
        <h2 id="tokens-heading">Your tokens</h2>
        {tokens.isPending ? (
          <p className="loading" role="status">
            Loading your tokens…
          </p>
        ) : tokens.isError ? (
          <LoadFailed query={tokens} />
        ) : list.length === 0 ? (
          <p data-testid="tokens-empty">No tokens yet. Create one below.</p>
        ) : (
          <ul className="grid token-grid" aria-busy={tokens.isFetching}>
            {list.map((t) => (
              <TokenItem key={t.tokenId} token={t} onDone={(m) => say(m, true)} />
            ))}
          </ul>
        )}
      </section>
      <NewTokenForm
        onCreated={(token) => {
          setCreated(token);
        }}
      />
      {!created && (
        <div className="card">
          <McpSnippet />
        </div>
      )}
    </div>
  );
}
