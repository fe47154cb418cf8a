/**
 * The attacker of bench/login-flood.ts, in a process of its own so that its thousands of answers a
 * second do not hold up the event loop of the client whose latency is measured. Forked with
 * `url honour kind flood`; sends its status counts back and exits when told "stop".
 */
import { randomBytes } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";

const [url = "", honour, kind, flood] = process.argv.slice(2);
let running = true;
const counts: Record<number, number> = {};

async function one(): Promise<void> {
  while (running) {
    const ip = `198.18.${randomBytes(1)[0]}.${randomBytes(1)[0]}`;
    const res =
      kind === "login"
        ? await fetch(`${url}/v1/auth/login`, {
            method: "POST",
            headers: { "content-type": "application/json", "x-forwarded-for": ip },
            body: JSON.stringify({
              email: `x${randomBytes(4).toString("hex")}@example.com`,
              password: "some guessed password",
            }),
          })
        : await fetch(`${url}/v1/transactions`);
    await res.arrayBuffer();
    counts[res.status] = (counts[res.status] ?? 0) + 1;
    const wait = Number(res.headers.get("retry-after") ?? 0);
    if (honour === "honour" && wait > 0) await sleep(wait * 1000);
  }
}

const loops = Array.from({ length: Number(flood) }, one);
process.on("message", async () => {
  running = false;
  await Promise.all(loops);
  process.send?.(counts, () => process.exit(0));
});
