import { describe, expect, it } from "vitest";
import { shareServer } from "./support/api";
import { auditPage, openApp, signUpInBrowser } from "./support/browser";

const shared = shareServer();

describe("the app shell", () => {
  it("opens the app at /, and a session that survives a reload ends with log out", async () => {
    const { page, context, problems } = await openApp(shared.browser, shared.server, { path: "/" });
    // Not signed in: the login page, which remembers where the user was going.
    await expect.poll(() => new URL(page.url()).pathname).toBe("/login");
    await auditPage(page, "login");
    await page.getByRole("link", { name: "Create an account" }).click();
    await auditPage(page, "signup");

    const { email, password } = await signUpInBrowser(page);
    await page.reload();
    await expect.poll(() => page.getByRole("navigation", { name: "Main" }).isVisible()).toBe(true);

    await page.getByRole("button", { name: "Log out", exact: true }).click();
    await page.getByRole("heading", { name: "Log in" }).waitFor();
    await page.getByLabel("E-mail").fill(email);
    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Log in" }).click();
    await page.getByRole("navigation", { name: "Main" }).waitFor();
    expect(problems).toEqual([]);
    await context.close();
  });

  it("log out everywhere ends the session in a second browser too", async () => {
    const a = await openApp(shared.browser, shared.server, { path: "/" });
    const { email, password } = await signUpInBrowser(a.page);
    const b = await openApp(shared.browser, shared.server, { path: "/login" });
    await b.page.getByLabel("E-mail").fill(email);
    await b.page.getByLabel("Password").fill(password);
    await b.page.getByRole("button", { name: "Log in" }).click();
    await b.page.getByRole("navigation", { name: "Main" }).waitFor();

    await a.page.getByRole("button", { name: "Log out everywhere" }).click();
    await a.page.getByRole("heading", { name: "Log in" }).waitFor();
    // The other browser's token is refused from now on: its next load sends it to log in.
    await b.page.reload();
    await b.page.getByRole("heading", { name: "Log in" }).waitFor();
    await a.context.close();
    await b.context.close();
  });

  it("leaves the API's paths to the API: a page's path is the app, /.well-known a JSON 404", async () => {
    const { baseUrl } = shared.server;
    const page = await fetch(`${baseUrl}/assistant`);
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
    // An MCP client that looks for OAuth metadata after a 401 must not be handed the web app.
    const discovery = await fetch(`${baseUrl}/.well-known/oauth-protected-resource`);
    expect([discovery.status, discovery.headers.get("content-type")]).toEqual([
      404,
      "application/problem+json",
    ]);
  });

  it("names the field of a mistake before anything is sent", async () => {
    const { page, context } = await openApp(shared.browser, shared.server, { path: "/signup" });
    await page.getByLabel("Your name").fill("Bo");
    await page.getByLabel("E-mail").fill("not-an-email");
    await page.getByLabel("Password").fill("short");
    await page.getByRole("button", { name: "Sign up" }).click();
    await expect.poll(() => page.getByLabel("Password").getAttribute("aria-invalid")).toBe("true");
    await expect.poll(() => page.getByText("must be at least 10 characters").isVisible()).toBe(true);
    expect(new URL(page.url()).pathname).toBe("/signup");
    await context.close();
  });

  it("gives a phone a menu button that opens the navigation", async () => {
    const { page, context } = await openApp(shared.browser, shared.server, { width: 375, height: 800 });
    await signUpInBrowser(page, "Phone User");
    const menu = page.getByRole("button", { name: "Menu" });
    await expect.poll(() => menu.getAttribute("aria-expanded")).toBe("false");
    await menu.click();
    await page.getByRole("link", { name: "Transactions" }).click();
    await expect.poll(() => new URL(page.url()).pathname).toBe("/transactions");
    await context.close();
  });
});
