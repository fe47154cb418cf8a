import type { PersonalAccessToken } from "@tyche/types";
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { builtApp, fullDateIn, request, shareApp, textOf as text } from "./support/api";
import { auditPageAndPhone } from "./support/browser";

/**
 * The access tokens page (/settings/tokens) against the real API: a token made in the page is
 * shown once, works as a bearer token within its scope, is listed without its secret, and stops
 * working when revoked there.
 */

const shared = shareApp();
const { call } = shared;
let page: Page;
beforeAll(() => {
  page = shared.page;
});

const tokensOf = async () => (await call<{ items: PersonalAccessToken[] }>("GET", "/v1/tokens")).items;
const byName = async (name: string) => {
  const token = (await tokensOf()).find((t) => t.name === name);
  if (!token) throw new Error(`no token ${name}`);
  return token;
};
/** A token on the page, by its heading. */
const tokenCard = (name: string) =>
  page.getByTestId("token").filter({ has: page.getByRole("heading", { name, exact: true, level: 3 }) });
const focused = () =>
  page.evaluate(() => ({
    id: document.activeElement?.id ?? "",
    text: document.activeElement?.textContent ?? "",
  }));
/** An instant as the page writes it, in the browser's own language and zone. */
const instantIn = (iso: string) =>
  page.evaluate(
    (x) =>
      new Intl.DateTimeFormat(navigator.language, {
        day: "numeric",
        month: "short",
        year: "numeric",
        hour: "numeric",
        minute: "2-digit",
      }).format(new Date(x)),
    iso,
  );
const asPat = (pat: string, method: string, path: string, body?: unknown) =>
  request<{ title?: string }>(shared.server.baseUrl, pat, method, path, body);

describe("the access tokens page's bundle", () => {
  it("is a chunk of its own, without recharts", async () => {
    const { entryJs, asset, withImports } = await builtApp(shared.server.baseUrl);
    const chunk = /TokensPage-[\w-]+\.js/.exec(entryJs)?.[0];
    expect(chunk, "the tokens page is a chunk of its own").toBeTruthy();
    expect(await asset(chunk ?? "")).not.toContain("recharts");
    await expect(withImports(chunk ?? "")).resolves.not.toContain("recharts-surface");
  });
});

describe("the access tokens page", () => {
  let secret = "";

  it("is reached from the account menu, starts empty, and names a missing name beside its field", async () => {
    await shared.signUp();
    await page.getByRole("link", { name: "Access tokens" }).click();
    await page.getByRole("heading", { name: "Access tokens", level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toBe("/settings/tokens");
    await page.getByTestId("tokens-empty").waitFor();
    // Without a token, the configuration to paste says where it goes.
    await expect.poll(() => text(page.getByTestId("mcp-stdio"))).toContain('"TYCHE_TOKEN": "<your token>"');
    await auditPageAndPhone(page, "tokens-empty");

    const form = page.getByRole("form", { name: "Create a token" });
    await form.getByRole("button", { name: "Create token" }).click();
    const name = form.getByLabel("Token name");
    await expect.poll(() => name.getAttribute("aria-invalid")).toBe("true");
    await expect.poll(() => focused()).toMatchObject({ id: await name.getAttribute("id") });
    await form.getByText("must not be empty").waitFor();
    expect(await tokensOf()).toEqual([]);
  });

  it("creates a read-only token and shows its secret once, with a copy button and the MCP configuration", async () => {
    await shared.app.context.grantPermissions(["clipboard-read", "clipboard-write"], {
      origin: shared.server.baseUrl,
    });
    const form = page.getByRole("form", { name: "Create a token" });
    await form.getByLabel("Token name").fill("Claude Desktop");
    // Read only is the default, and 90 days.
    await expect.poll(() => form.getByLabel("Read only").isChecked()).toBe(true);
    await expect.poll(() => form.getByLabel("Expires").inputValue()).toBe("90");
    await form.getByRole("button", { name: "Create token" }).click();

    const created = page.getByTestId("created-token");
    await created.waitFor();
    // The warning takes the focus first, so it is read before anything else.
    await expect.poll(() => focused()).toMatchObject({ text: "Copy your new token now" });
    await created.getByText("You will not see it again.").waitFor();
    secret = await created.getByLabel("The token Claude Desktop").inputValue();
    expect(secret).toMatch(/^tyche_pat_[0-9A-Z]{26}_\S+$/);

    const listed = await byName("Claude Desktop");
    expect(listed).toMatchObject({ scope: "read", status: "active", lastUsedAt: null, revokedAt: null });
    expect(secret.startsWith(listed.prefix)).toBe(true);
    expect(secret.endsWith(listed.last4)).toBe(true);
    // 90 days from today, at the start of that day (UTC).
    const in90 = new Date(Date.now() + 90 * 86_400_000).toISOString().slice(0, 10);
    expect(listed.expiresAt).toBe(`${in90}T00:00:00.000Z`);

    await created.getByRole("button", { name: "Copy token" }).click();
    await created.getByText("Copied.").waitFor();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(secret);

    // The configuration carries the token and this Tyche's address, ready to paste.
    const stdio = JSON.parse(await text(created.getByTestId("mcp-stdio"))) as {
      mcpServers: { tyche: { command: string; args: string[]; env: Record<string, string> } };
    };
    expect(stdio.mcpServers.tyche).toEqual({
      command: "npx",
      args: ["tyche-mcp"],
      env: { TYCHE_URL: shared.server.baseUrl, TYCHE_TOKEN: secret },
    });
    const http = JSON.parse(await text(created.getByTestId("mcp-http"))) as {
      mcpServers: { tyche: { url: string; headers: Record<string, string> } };
    };
    expect(http.mcpServers.tyche).toMatchObject({
      url: `${shared.server.baseUrl}/mcp`,
      headers: { Authorization: `Bearer ${secret}` },
    });
    await created.getByRole("button", { name: "Copy the local configuration" }).click();
    await expect
      .poll(() => page.evaluate(() => navigator.clipboard.readText()))
      .toBe(JSON.stringify(stdio, null, 2));
    await auditPageAndPhone(page, "tokens-created");
  });

  it("works as a bearer token within its scope", async () => {
    await expect(asPat(secret, "GET", "/v1/accounts")).resolves.toMatchObject({ status: 200 });
    await expect(
      asPat(secret, "POST", "/v1/goals", { name: "Nope", targetAmount: 100, targetDate: "2099-01-01" }),
    ).resolves.toMatchObject({ status: 403 });
  });

  it("never shows the secret again once dismissed, and lists the token by its start and last four", async () => {
    await page.getByRole("button", { name: "I have copied it" }).click();
    await page.getByRole("status").filter({ hasText: "Claude Desktop is ready to use" }).waitFor();
    await expect(page.content()).resolves.not.toContain(secret);
    await page.reload();
    await page.getByRole("heading", { name: "Access tokens", level: 1 }).waitFor();
    const card = tokenCard("Claude Desktop");
    await card.waitFor();
    await expect(page.content()).resolves.not.toContain(secret);

    const listed = await byName("Claude Desktop");
    await expect.poll(() => text(card.getByTestId("token-status"))).toBe("Active");
    await expect.poll(() => text(card.getByTestId("token-scope"))).toBe("Read only");
    await expect.poll(() => text(card.getByTestId("token-hint"))).toBe(`${listed.prefix}…${listed.last4}`);
    await expect
      .poll(() => text(card.getByTestId("token-created")))
      .toBe(await fullDateIn(page, listed.createdAt.slice(0, 10)));
    await expect
      .poll(() => text(card.getByTestId("token-expires")))
      .toBe(await instantIn(listed.expiresAt ?? ""));
    // It was used a moment ago (the calls above): the list says when.
    expect(listed.lastUsedAt).not.toBeNull();
    await expect
      .poll(() => text(card.getByTestId("token-last-used")))
      .toBe(await instantIn(listed.lastUsedAt ?? ""));
  });

  it("creates a read-and-write token that expires on a date of the user's choosing", async () => {
    const form = page.getByRole("form", { name: "Create a token" });
    await form.getByLabel("Token name").fill("Budget script");
    await form.getByLabel("Read and write").check();
    await form.getByLabel("Expires").selectOption({ label: "Until a date…" });
    await form.getByRole("button", { name: "Create token" }).click();
    // The date was not given: said beside its own field.
    const date = form.getByLabel("Expiry date");
    await expect.poll(() => date.getAttribute("aria-invalid")).toBe("true");
    const far = `${new Date().getUTCFullYear() + 2}-01-01`;
    await date.fill(far);
    await form.getByRole("button", { name: "Create token" }).click();
    await form.getByText("must be at most 366 days from now").waitFor();
    const soon = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);
    await date.fill(soon);
    await form.getByRole("button", { name: "Create token" }).click();
    const created = page.getByTestId("created-token");
    await created.waitFor();
    const writeSecret = await created.getByLabel("The token Budget script").inputValue();
    await created.getByRole("button", { name: "I have copied it" }).click();

    const listed = await byName("Budget script");
    expect(listed).toMatchObject({ scope: "write", expiresAt: `${soon}T00:00:00.000Z` });
    const card = tokenCard("Budget script");
    await expect.poll(() => text(card.getByTestId("token-scope"))).toBe("Read and write");
    await expect.poll(() => text(card.getByTestId("token-last-used"))).toBe("Never used");
    // Newest first, as the API lists them.
    await expect
      .poll(() => page.getByTestId("token").getByRole("heading", { level: 3 }).allTextContents())
      .toEqual(["Budget script", "Claude Desktop"]);
    await expect(
      asPat(writeSecret, "POST", "/v1/goals", { name: "Yes", targetAmount: 100, targetDate: "2099-01-01" }),
    ).resolves.toMatchObject({ status: 201 });
  });

  it("revokes a token after asking, and the token stops working at once", async () => {
    const card = tokenCard("Claude Desktop");
    await card.getByRole("button", { name: "Revoke" }).click();
    await card.getByText("Revoke Claude Desktop? Anything using it stops working at once.").waitFor();
    await expect.poll(() => focused()).toMatchObject({ text: "Revoke it" });
    // Kept: the focus goes back to the button that asked.
    await card.getByRole("button", { name: "Keep it" }).click();
    await expect.poll(() => focused()).toMatchObject({ text: "Revoke" });
    expect((await byName("Claude Desktop")).status).toBe("active");

    await card.getByRole("button", { name: "Revoke" }).click();
    await auditPageAndPhone(page, "tokens-revoke-question");
    await card.getByRole("button", { name: "Revoke it" }).click();
    const status = page
      .getByRole("status")
      .filter({ hasText: "Claude Desktop was revoked: it no longer works." });
    await status.waitFor();
    await expect
      .poll(() => focused())
      .toMatchObject({
        text: "Claude Desktop was revoked: it no longer works.",
      });
    await expect.poll(() => text(card.getByTestId("token-status"))).toBe("Revoked");
    await expect.poll(() => card.getByRole("button", { name: "Revoke" }).count()).toBe(0);
    expect((await byName("Claude Desktop")).status).toBe("revoked");
    await expect(asPat(secret, "GET", "/v1/accounts")).resolves.toMatchObject({ status: 401 });
    await auditPageAndPhone(page, "tokens-list");
  });
});
