import type { Account, Category, User } from "@tyche/types";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDynamoClient } from "../services/api/src/db/client";
import {
  type DynamoDbLocal,
  startDynamoDbLocal,
  waitForDynamo,
} from "../services/api/src/local/dynamodb-local";
import { call } from "./support/api";
import { type AppPage, auditPage, expectAccessible, launch, openApp, tokenOf } from "./support/browser";
import { type CognitoStandIn, startCognitoStandIn } from "./support/cognito-stand-in";
import { type RunningServer, startServer } from "./support/server";

/**
 * The web app as it runs on AWS: the real API server with AUTH_MODE=cognito, verifying ID tokens
 * with the stand-in pool's key set, and the browser signing up, confirming, signing in and renewing
 * against the stand-in (e2e/support/cognito-stand-in.ts) as it would against Cognito. The pool's
 * post-confirmation trigger (the API's own code) founds each tenant in the DynamoDB Local the API
 * uses.
 */
let dynamo: DynamoDbLocal;
let pool: CognitoStandIn;
let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  dynamo = await startDynamoDbLocal({});
  const client = createDynamoClient({ endpoint: dynamo.endpoint });
  await waitForDynamo(client);
  client.destroy();
  pool = await startCognitoStandIn({ dynamoEndpoint: dynamo.endpoint });
  [server, browser] = await Promise.all([
    // The server creates the tables in the DynamoDB Local it shares with the pool's trigger.
    startServer({
      env: {
        DYNAMODB_ENDPOINT: dynamo.endpoint,
        AUTH_MODE: "cognito",
        COGNITO_USER_POOL_ID: pool.userPoolId,
        COGNITO_CLIENT_ID: pool.clientId,
        COGNITO_ENDPOINT: pool.endpoint,
        COGNITO_JWKS_FILE: pool.jwksFile,
      },
    }),
    launch(),
  ]);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await pool?.close();
  await dynamo?.stop();
});

const PASSWORD = "correct horse battery staple";
const newEmail = (who: string) =>
  `cognito.${who}.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}@example.com`;
const signedIn = (page: Page) => page.getByRole("button", { name: "Log out", exact: true }).waitFor();

/** A page whose API answers are watched: every 401 the API gave it. */
function watch401s(app: AppPage): string[] {
  const refused: string[] = [];
  app.page.on("response", (res) => {
    if (res.url().startsWith(`${server.baseUrl}/v1/`) && res.status() === 401)
      refused.push(`${res.request().method()} ${new URL(res.url()).pathname}`);
  });
  return refused;
}

/** Signs a new user up through the form, confirms with the code the pool "e-mailed", signed in after. */
async function signUpWithCode(page: Page, who: string): Promise<string> {
  const email = newEmail(who);
  await page.goto("/signup");
  await page.getByLabel("Your name").fill(`${who} Example`);
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign up" }).click();
  await page.getByRole("heading", { name: "Confirm your e-mail" }).waitFor();
  await page.getByLabel("Code from the e-mail").fill(pool.codeFor(email) ?? "no code");
  await page.getByRole("button", { name: "Confirm" }).click();
  await signedIn(page);
  return email;
}

async function logIn(page: Page, email: string, password = PASSWORD): Promise<void> {
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Log in" }).click();
}

const refreshes = () => pool.calls.filter((c) => c === "InitiateAuth:REFRESH_TOKEN_AUTH").length;

describe("the web app with a Cognito user pool", () => {
  it("learns the pool from /config.json, never cached; the API has no sign-up or login of its own", async () => {
    const res = await fetch(`${server.baseUrl}/config.json`);
    expect(res.headers.get("cache-control")).toBe("no-store");
    await expect(res.json()).resolves.toEqual({
      auth: "cognito",
      region: "us-east-1",
      userPoolId: pool.userPoolId,
      clientId: pool.clientId,
      endpoint: pool.endpoint,
    });
    const signup = await fetch(`${server.baseUrl}/v1/auth/signup`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: newEmail("nobody"), password: PASSWORD, name: "Nobody" }),
    });
    expect(signup.status).toBe(404);
  });

  it("signs up with the e-mailed code, shows the starter kit, records a transaction and stays signed in across a reload", {
    timeout: 120_000,
  }, async () => {
    const app = await openApp(browser, server, { path: "/" });
    const { page, problems, context } = app;
    await expect.poll(() => new URL(page.url()).pathname).toBe("/login");
    await page.getByRole("button", { name: "Forgot your password?" }).waitFor();
    await expectAccessible(page, "log in with the user pool");
    await page.getByRole("link", { name: "Create an account" }).click();

    const email = newEmail("ann");
    await page.getByLabel("Your name").fill("Ann Example");
    await page.getByLabel("E-mail").fill(email);
    // The pool's policy (12 characters) is the pool's to say, in the form's words.
    await page.getByLabel("Password").fill("eleven char");
    await page.getByRole("button", { name: "Sign up" }).click();
    await page.getByText("is too short for this sign-in service").waitFor();
    await expect.poll(() => page.getByLabel("Password").getAttribute("aria-invalid")).toBe("true");
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign up" }).click();

    // The code step: the address it went to, masked; a wrong code is named at the code.
    await page.getByRole("heading", { name: "Confirm your e-mail" }).waitFor();
    await expect
      .poll(() => page.getByRole("status").first().textContent())
      .toContain(`We e-mailed a code to c***@e***`);
    expect(pool.user(email)?.status).toBe("UNCONFIRMED");
    await auditPage(page, "signup-code");
    await page.getByLabel("Code from the e-mail").fill("000000");
    await page.getByRole("button", { name: "Confirm" }).click();
    await page.getByText("is not the code we sent").waitFor();
    await expect
      .poll(() => page.getByLabel("Code from the e-mail").getAttribute("aria-invalid"))
      .toBe("true");
    const code = pool.codeFor(email);
    expect(code).toMatch(/^\d{6}$/);
    await page.getByLabel("Code from the e-mail").fill(code ?? "");
    await page.getByRole("button", { name: "Confirm" }).click();
    await signedIn(page);

    // The trigger founded the tenant; the ID token carries it, and the API answers as that user.
    const tenantId = pool.user(email)?.attributes["custom:tenantId"];
    expect(tenantId).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    const token = await tokenOf(page);
    const me = await call<User>(server.baseUrl, token, "GET", "/v1/me");
    expect(me).toMatchObject({ tenantId, email, name: "Ann Example", userId: pool.user(email)?.sub });

    // The dashboard with the starter kit: the first account and the default categories.
    await page.getByRole("heading", { name: /^Nothing recorded for/ }).waitFor();
    const accounts = await call<{ items: Account[] }>(server.baseUrl, token, "GET", "/v1/accounts");
    expect(accounts.items.map((a) => a.name)).toEqual(["Checking"]);
    const categories = await call<{ items: Category[] }>(server.baseUrl, token, "GET", "/v1/categories");
    expect(categories.items).toHaveLength(11);
    const accountSelect = page.getByLabel("Account", { exact: true });
    await expect.poll(() => accountSelect.locator("option").allTextContents()).toContain("Checking");
    await expect
      .poll(() => page.getByLabel("Category", { exact: true }).locator("option").allTextContents())
      .toContain("Groceries");

    await page.getByLabel("Amount", { exact: true }).fill("12.34");
    await page.getByLabel("Merchant", { exact: true }).fill("Corner Grocer Cognito");
    await page.getByLabel("Category", { exact: true }).selectOption({ label: "Groceries" });
    await accountSelect.selectOption({ label: "Checking" });
    await page.getByRole("radio", { name: "Expense" }).check();
    await page.getByRole("button", { name: "Add transaction" }).click();
    await page.getByText(/^Added Corner Grocer Cognito: /).waitFor();

    await page.reload();
    await signedIn(page);
    await page.getByTestId("dashboard").waitFor();
    await expect
      .poll(async () => (await page.locator("[data-testid=recent] li").allTextContents()).join(" "))
      .toContain("Corner Grocer Cognito");
    expect(new URL(page.url()).pathname).toBe("/");

    // Log out ends the session at the pool too: its refresh token is revoked.
    await page.getByRole("button", { name: "Log out", exact: true }).click();
    await page.getByRole("heading", { name: "Log in" }).waitFor();
    await expect.poll(() => pool.calls.at(-1)).toBe("RevokeToken");
    await expect.poll(() => page.evaluate(() => localStorage.getItem("tyche.session"))).toBeNull();
    expect(problems).toEqual([]);
    await context.close();
  });

  it("names a wrong password, an address with an account already, and asks an unconfirmed one for the code", async () => {
    const first = await openApp(browser, server);
    const email = await signUpWithCode(first.page, "bo");
    await first.context.close();

    const { page, context, problems } = await openApp(browser, server, { path: "/login" });
    await logIn(page, email, "not the password at all");
    await page.getByText("E-mail or password is incorrect.").waitFor();
    await expect.poll(() => page.getByLabel("Password").getAttribute("aria-invalid")).toBe("true");
    expect(new URL(page.url()).pathname).toBe("/login");
    await logIn(page, email);
    await signedIn(page);
    await page.getByRole("button", { name: "Log out", exact: true }).click();

    await page.getByRole("link", { name: "Create an account" }).click();
    await page.getByLabel("Your name").fill("Bo Again");
    await page.getByLabel("E-mail").fill(email);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign up" }).click();
    await page.getByText("already has an account").waitFor();
    await expect.poll(() => page.getByLabel("E-mail").getAttribute("aria-invalid")).toBe("true");

    // Signed up elsewhere and never confirmed: logging in asks for the code, then signs in.
    const later = newEmail("cy");
    await page.getByLabel("E-mail").fill(later);
    await page.getByRole("button", { name: "Sign up" }).click();
    await page.getByRole("heading", { name: "Confirm your e-mail" }).waitFor();
    await page.goto("/login");
    await logIn(page, later);
    await page.getByRole("heading", { name: "Confirm your e-mail" }).waitFor();
    await page.getByText("Your e-mail address is not confirmed yet").waitFor();
    const before = pool.codeFor(later);
    await page.getByRole("button", { name: "Send a new code" }).click();
    await page.getByText(/^We e-mailed a new code to /).waitFor();
    expect(pool.codeFor(later)).not.toBe(before);
    await page.getByLabel("Code from the e-mail").fill(pool.codeFor(later) ?? "");
    await page.getByRole("button", { name: "Confirm" }).click();
    await signedIn(page);
    expect(pool.user(later)?.attributes["custom:tenantId"]).toBeTruthy();
    expect(problems).toEqual([]);
    await context.close();
  });

  it("renews an ID token before it expires, and one the API refuses early, without the user noticing", {
    timeout: 90_000,
  }, async () => {
    // Tokens of 3 s: renewed half-way, by the timer or before the next call.
    pool.lifetime = { actualSeconds: 3, reportedSeconds: 3 };
    const app = await openApp(browser, server);
    const refused = watch401s(app);
    const { page, context, problems } = app;
    const email = await signUpWithCode(page, "di");
    const first = await tokenOf(page);
    const renewedBefore = refreshes();
    await page.waitForTimeout(4000);
    await page.getByRole("link", { name: "Transactions" }).click();
    await page.getByRole("heading", { name: "Transactions", level: 1 }).waitFor();
    expect(refreshes()).toBeGreaterThan(renewedBefore);
    expect(await tokenOf(page)).not.toBe(first);
    expect(refused).toEqual([]);

    // A token the browser thinks good for an hour, which the API refuses after 2 s (the clocks
    // disagree): the 401 is answered by renewing once and calling again.
    await page.getByRole("button", { name: "Log out", exact: true }).click();
    await page.getByRole("heading", { name: "Log in" }).waitFor();
    pool.lifetime = { actualSeconds: 2, reportedSeconds: 3600 };
    await logIn(page, email);
    await signedIn(page);
    pool.lifetime = { actualSeconds: 3600, reportedSeconds: 3600 };
    const renewedThen = refreshes();
    await page.waitForTimeout(3000);
    await page.getByRole("link", { name: "Accounts" }).click();
    await page.getByRole("heading", { name: "Accounts", level: 1 }).waitFor();
    await page.getByText("Checking").first().waitFor();
    expect(refused.length).toBeGreaterThan(0);
    // However many calls were refused at once, one renewal answered them all.
    expect(refreshes()).toBe(renewedThen + 1);
    expect(new URL(page.url()).pathname).toBe("/accounts");
    expect(problems).toEqual([]);
    await context.close();
  });

  it("signs out with a message when the refresh token is refused, keeping what was being typed", {
    timeout: 90_000,
  }, async () => {
    // Tokens of 6 s, renewed every 3 s while the tab is open: until the pool refuses to.
    pool.lifetime = { actualSeconds: 6, reportedSeconds: 6 };
    const { page, context, problems } = await openApp(browser, server);
    const email = await signUpWithCode(page, "ed");
    await page.getByRole("heading", { name: /^Nothing recorded for/ }).waitFor();
    await page.getByLabel("Merchant", { exact: true }).fill("Half-typed merchant");
    // An administrator's sign-out: the next renewal is refused.
    pool.revokeAll(email);
    await page.getByRole("heading", { name: "Log in" }).waitFor({ timeout: 10_000 });
    await page.getByText("Your session has ended").waitFor();
    pool.lifetime = { actualSeconds: 3600, reportedSeconds: 3600 };
    await logIn(page, email);
    await signedIn(page);
    await page.getByRole("heading", { name: /^Nothing recorded for/ }).waitFor();
    await expect
      .poll(() => page.getByLabel("Merchant", { exact: true }).inputValue())
      .toBe("Half-typed merchant");
    expect(problems).toEqual([]);
    await context.close();
  });
});
