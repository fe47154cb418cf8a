import { describe, expect, it } from "vitest";
import { loadRuntimeConfig, RuntimeConfigError } from "../src/auth/runtime-config";

const serving = (res: () => Response | Promise<Response>) => {
  const asked: [string, RequestInit][] = [];
  return {
    asked,
    get: async (url: string, init: RequestInit) => {
      asked.push([url, init]);
      return res();
    },
  };
};

describe("config.json", () => {
  it("is read fresh from the origin, and names the user pool", async () => {
    const config = {
      auth: "cognito",
      region: "eu-west-1",
      userPoolId: "eu-west-1_AbC123",
      clientId: "webclient123",
      passwordMinLength: 12,
    };
    const { asked, get } = serving(() => Response.json(config));
    await expect(loadRuntimeConfig(get)).resolves.toEqual(config);
    expect(asked.map(([url, init]) => [url, init.cache])).toEqual([["/config.json", "no-store"]]);
  });

  it("means local accounts when it is missing, unreachable or not JSON", async () => {
    for (const res of [
      () => new Response("Not found", { status: 404 }),
      () => Promise.reject(new TypeError("Failed to fetch")),
      () => new Response("<!doctype html><html></html>", { headers: { "content-type": "text/html" } }),
      () => Response.json({ auth: "local" }),
    ])
      await expect(loadRuntimeConfig(serving(res).get)).resolves.toEqual({ auth: "local" });
  });

  it("is refused, saying what is wrong, when it is JSON but not a config", async () => {
    const missing = serving(() =>
      Response.json({ auth: "cognito", region: "eu-west-1", userPoolId: "eu-west-1_X" }),
    );
    await expect(loadRuntimeConfig(missing.get)).rejects.toThrow(RuntimeConfigError);
    await expect(loadRuntimeConfig(missing.get)).rejects.toThrow(/clientId/);
    const wrong = serving(() =>
      Response.json({ auth: "cognito", region: "eu-west-1", userPoolId: "nope", clientId: "c" }),
    );
    await expect(loadRuntimeConfig(wrong.get)).rejects.toThrow(/userPoolId must be a user pool id/);
    const unknown = serving(() => Response.json({ auth: "saml" }));
    await expect(loadRuntimeConfig(unknown.get)).rejects.toThrow(RuntimeConfigError);
  });
});
