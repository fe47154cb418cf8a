import { useId } from "react";
import { CopyButton } from "../../ui/CopyButton";

/** An MCP client's configuration for Tyche: the server run locally (stdio, as Claude Desktop runs it) or over HTTP. */
export function mcpConfigs(origin: string, token: string) {
  const stdio = {
    mcpServers: {
      tyche: { command: "npx", args: ["tyche-mcp"], env: { TYCHE_URL: origin, TYCHE_TOKEN: token } },
    },
  };
  const http = {
    mcpServers: {
      tyche: { type: "http", url: `${origin}/mcp`, headers: { Authorization: `Bearer ${token}` } },
    },
  };
  return { stdio: JSON.stringify(stdio, null, 2), http: JSON.stringify(http, null, 2) };
}

/** Placeholder for the token where none is at hand (the secret is shown only when it is made). */
export const TOKEN_PLACEHOLDER = "<your token>";

/**
 * How to use a token with Claude Desktop: the two configurations, each with a copy button. With a
 * token just made, the snippets carry it, ready to paste; otherwise a placeholder stands for it.
 */
export function McpSnippet({ token = TOKEN_PLACEHOLDER }: { token?: string }) {
  const id = useId();
  const { stdio, http } = mcpConfigs(window.location.origin, token);
  return (
    <section className="mcp-snippet" aria-labelledby={`${id}-heading`} data-testid="mcp-snippet">
      <h3 id={`${id}-heading`}>Use with Claude Desktop</h3>
      <p>
        Add Tyche to <code>claude_desktop_config.json</code> (Settings, Developer, Edit config), then restart
        Claude Desktop. Either run the server on your computer:
      </p>
      <pre data-testid="mcp-stdio">
        <code>{stdio}</code>
      </pre>
      <CopyButton text={stdio} label="Copy the local configuration" />
      <p>or, in an MCP client that connects over HTTP (Claude Code, for one), reach this Tyche directly:</p>
      <pre data-testid="mcp-http">
        <code>{http}</code>
      </pre>
      <CopyButton text={http} label="Copy the HTTP configuration" />
      <p className="hint">
        A read-only token lets Claude plan with your numbers; only a read-and-write token lets it record
        transactions, set limits or create goals, and only when you ask it to.
      </p>
    </section>
  );
}
