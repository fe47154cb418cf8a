import { describe, expect, it } from "vitest";
import { checkPassword } from "../src/auth/password-policy";
import { harness, uniqueEmail } from "./support/harness";

const h = harness();

describe("sign-up passwords (NIST SP 800-63B)", () => {
  it("refuses repeated, sequential, blank, common and e-mail passwords with a 400 naming password, writing nothing", async () => {
    const email = uniqueEmail("weak");
    const weak = [
      "aaaaaaaaaa",
      "1234567890",
      "0987654321",
      "abcdefghijk",
      "qwertyuiop",
      "          ",
      "abcabcabcabc",
      "password123",
      "iloveyou123",
      email,
      `${email.split("@")[0]}!`,
      `my ${email.toUpperCase()} pw`,
    ];
    for (const password of weak) {
      const res = await h.call("POST", "/v1/auth/signup", { body: { email, password, name: "Weak" } });
      expect(res.status, JSON.stringify(password)).toBe(400);
      expect(res.headers.get("content-type")).toBe("application/problem+json");
      expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(["password"]);
    }
    // nothing was written: the e-mail is still free
    const ok = await h.call("POST", "/v1/auth/signup", {
      body: { email, password: "correct horse battery staple", name: "Strong" },
    });
    expect(ok.status).toBe(201);
  });

  it("has no composition rules, normalises with NFKC, and takes long passphrases", () => {
    const email = "someone@example.com";
    for (const ok of ["all lower case words here", "ünïcödé passphrase ✓", "xxxy7z!w ab", "aaaaabbbbbc"])
      expect(() => checkPassword(ok, email), ok).not.toThrow();
    expect(() => checkPassword(`${"p".repeat(200)}q`, email)).toThrow(/at most/);
    // Fullwidth digits are the same sequence once normalised.
    expect(() => checkPassword("１２３４５６７８９０", email)).toThrow(/sequence/);
  });
});
