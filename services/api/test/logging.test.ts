import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger, logLevel } from "../src/log";
import { type Harness, harness } from "./support/harness";

/** Every line the logger wrote, parsed. */
const lines: Record<string, unknown>[] = [];
let text = "";
const sink = new Writable({
  write(chunk, _encoding, done) {
    text += String(chunk);
    for (const line of String(chunk).split("\n").filter(Boolean)) lines.push(JSON.parse(line));
    done();
  },
});

let h: Harness;
const logger = createLogger({ level: "info", destination: sink });

beforeAll(() => {
  h = harness(undefined, { log: logger });
});
afterAll(() => h.close());

const PASSWORD = "Zebra-Quince-Harbour-917";
const MERCHANT = "Secret Bakery Of Elm Street";
const AMOUNT = 987_654;

describe("structured logs", () => {
  it("log one JSON line a request, with no token, password, amount or merchant in any of them", async () => {
    const email = `log-${Date.now()}@example.com`;
    const signup = await h.call("POST", "/v1/auth/signup", {
      body: { email, password: PASSWORD, name: "Logged" },
    });
    expect(signup.status).toBe(201);
    const token = signup.body.token as string;
    const login = await h.call("POST", "/v1/auth/login", { body: { email, password: PASSWORD } });
    expect(login.status).toBe(200);
    const created = await h.call("POST", "/v1/transactions", {
      token,
      body: { date: "2025-01-02", amount: AMOUNT, merchant: MERCHANT, notes: MERCHANT },
      headers: { "x-request-id": "probe-42" },
    });
    expect(created.status).toBe(201);
    expect(created.headers.get("x-request-id")).toBe("probe-42");
    const search = await h.call("GET", `/v1/transactions?merchant=${encodeURIComponent(MERCHANT)}`, {
      token,
    });
    expect(search.status).toBe(200);
    const refused = await h.call("GET", "/v1/transactions", { token: `${token}x` });
    expect(refused.status).toBe(401);

    // what a caller might log on purpose is redacted too
    logger.info(
      {
        req: { headers: { authorization: `Bearer ${token}`, cookie: `session=${token}` } },
        body: { password: PASSWORD, transaction: { amount: AMOUNT, merchant: MERCHANT, payee: MERCHANT } },
        token,
      },
      "a careless line",
    );

    const requests = lines.filter((l) => l.msg === "request");
    expect(requests.map((l) => [l.method, l.path, l.status])).toEqual(
      expect.arrayContaining([
        ["POST", "/v1/auth/signup", 201],
        ["POST", "/v1/auth/login", 200],
        ["POST", "/v1/transactions", 201],
        ["GET", "/v1/transactions", 200],
        ["GET", "/v1/transactions", 401],
      ]),
    );
    const probe = requests.find((l) => l.requestId === "probe-42");
    expect(probe).toMatchObject({ level: "info", method: "POST", status: 201, service: "tyche-api" });
    expect(typeof probe?.ms).toBe("number");
    expect(typeof probe?.time).toBe("string");

    for (const secret of [
      token,
      PASSWORD,
      MERCHANT,
      encodeURIComponent(MERCHANT),
      String(AMOUNT),
      token.split(".")[2] as string,
    ]) {
      expect(text).not.toContain(secret);
    }
    expect(text).toContain("[redacted]");
  });

  it("log a 5xx with its stack and request id", async () => {
    const broken = harness(
      {
        mode: "cognito",
        verify: () => Promise.reject(new Error("the verifier broke")),
      },
      { log: logger },
    );
    try {
      const res = await broken.call("GET", "/v1/transactions", {
        token: "anything",
        headers: { "x-request-id": "boom-1" },
      });
      expect(res.status).toBe(500);
    } finally {
      await broken.close();
    }
    const error = lines.find((l) => l.msg === "unexpected error" && l.requestId === "boom-1");
    expect(error?.level).toBe("error");
    expect(String((error?.err as { stack?: string } | undefined)?.stack)).toContain("the verifier broke");
    expect(lines.find((l) => l.msg === "request failed" && l.requestId === "boom-1")).toMatchObject({
      status: 500,
    });
  });

  it("take the level from LOG_LEVEL, and stay quiet under the test runner unless asked", () => {
    expect(logLevel({ LOG_LEVEL: "debug" })).toBe("debug");
    expect(logLevel({ VITEST: "true" })).toBe("silent");
    expect(logLevel({ VITEST: "true", LOG_LEVEL: "warn" })).toBe("warn");
    expect(logLevel({})).toBe("info");
  });
});
