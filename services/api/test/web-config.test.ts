import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/config";
import { webConfigAnswer, webConfigFor } from "../src/local/web-config";

/** `/config.json` as the local server answers it, from the environment that starts it. */
describe("the local server's /config.json", () => {
  it("says local accounts by default, never to be cached", async () => {
    const answer = webConfigAnswer(webConfigFor(loadConfig({}).auth));
    const res = answer(new Request("http://localhost/config.json"));
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.get("content-type")).toBe("application/json");
    await expect(res.json()).resolves.toEqual({ auth: "local" });
    expect(answer(new Request("http://localhost/config.json", { method: "POST" })).status).toBe(405);
  });

  it("names the user pool with AUTH_MODE=cognito, its region taken from the pool id", () => {
    const env = {
      AUTH_MODE: "cognito",
      COGNITO_USER_POOL_ID: "eu-west-1_AbC123",
      COGNITO_CLIENT_ID: "webclient123",
      AWS_REGION: "us-east-1",
    };
    expect(webConfigFor(loadConfig(env).auth)).toEqual({
      auth: "cognito",
      region: "eu-west-1",
      userPoolId: "eu-west-1_AbC123",
      clientId: "webclient123",
    });
    const standIn = loadConfig({
      ...env,
      COGNITO_ENDPOINT: "http://127.0.0.1:9229/",
      COGNITO_JWKS_FILE: "/k.json",
    });
    expect(webConfigFor(standIn.auth)).toMatchObject({ endpoint: "http://127.0.0.1:9229/" });
    expect(standIn.cognitoJwksFile).toBe("/k.json");
  });

  it("refuses a COGNITO_ENDPOINT that is not a URL, and ignores a key set file without Cognito", () => {
    expect(() =>
      loadConfig({
        AUTH_MODE: "cognito",
        COGNITO_USER_POOL_ID: "eu-west-1_AbC123",
        COGNITO_CLIENT_ID: "c",
        COGNITO_ENDPOINT: "cognito.local",
      }),
    ).toThrow(ConfigError);
    expect(loadConfig({ COGNITO_JWKS_FILE: "/k.json" }).cognitoJwksFile).toBeUndefined();
  });
});
