import { randomUUID } from "node:crypto";
import type { Answer, Caller, Txn } from "./books";

export interface Write {
  key: string;
  body: { date: string; amount: number; type: "expense" | "income"; merchant: string; description: string };
  /** Every answer this write got, first attempt first. */
  answers: { status: number; retryAfter: string | null; type?: string; ms: number }[];
  /** Set once an answer was 201. */
  transactionId?: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Hand-entered creates, as a client sends them: each with its own Idempotency-Key, kept so that a
 * write whose answer never came (or came as 503) can be sent again and must not be doubled.
 */
export class WriteStream {
  readonly writes: Write[] = [];
  private running = false;
  private loops: Promise<void>[] = [];
  private n = 0;

  constructor(
    /** Replaced when the server it talks to is started again. */
    public call: Caller,
    private readonly months: readonly string[],
  ) {}

  private next(): Write {
    const i = this.n++;
    const month = this.months[i % this.months.length];
    return {
      key: randomUUID(),
      body: {
        date: `${month}-${String(1 + (i % 28)).padStart(2, "0")}`,
        amount: 100 + ((i * 37) % 9_900),
        type: i % 7 === 0 ? "income" : "expense",
        merchant: `Shop ${i % 13}`,
        description: `write ${i}`,
      },
      answers: [],
    };
  }

  /** Sends the write once; a thrown fetch (the server gone) counts as status 0. */
  async send(w: Write): Promise<Answer | undefined> {
    const started = performance.now();
    let res: Answer | undefined;
    try {
      res = await this.call("POST", "/v1/transactions", {
        body: w.body,
        headers: { "idempotency-key": w.key },
      });
    } catch {
      res = undefined;
    }
    w.answers.push({
      status: res?.status ?? 0,
      retryAfter: res?.headers.get("retry-after") ?? null,
      ...(res?.body?.type ? { type: String(res.body.type) } : {}),
      ms: performance.now() - started,
    });
    if (res?.status === 201) w.transactionId = res.body.transactionId;
    return res;
  }

  /**
   * `concurrency` clients writing one create after another. Each waits as a 503's Retry-After asks
   * (at most `maxWaitMs`) before its next write, as a well-behaved client does.
   */
  start(concurrency: number, opts: { pauseMs?: number; maxWaitMs?: number } = {}): void {
    this.running = true;
    this.loops = Array.from({ length: concurrency }, async () => {
      while (this.running) {
        const w = this.next();
        this.writes.push(w);
        const res = await this.send(w);
        const retryAfter = Number(res?.headers.get("retry-after") ?? 0) * 1000;
        await sleep(Math.min(retryAfter || (opts.pauseMs ?? 5), opts.maxWaitMs ?? 3_000));
      }
    });
  }

  /** Writes whose first answer came after `from` writes had been started and before `to`. */
  refusedBetween(from: number, to: number): Write["answers"][number][] {
    return this.writes.slice(from, to).flatMap((w) => w.answers.slice(0, 1));
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
  }

  acknowledged(): Write[] {
    return this.writes.filter((w) => w.transactionId !== undefined);
  }

  /** Sends every write not yet answered 201 again, with its key, until each is; returns how many. */
  async retryUnacknowledged(maxRounds = 50): Promise<number> {
    let retried = 0;
    for (let round = 0; round < maxRounds; round++) {
      const open = this.writes.filter((w) => w.transactionId === undefined);
      if (open.length === 0) return retried;
      for (const w of open) {
        await this.send(w);
        retried += 1;
      }
      await sleep(200);
    }
    throw new Error("writes were still refused after every retry");
  }

  /** Which writes the stored transactions hold more or less than once, by their description. */
  storedOnceEach(stored: readonly Txn[]): { missing: string[]; doubled: string[]; unknown: string[] } {
    const count = new Map<string, number>();
    for (const t of stored) count.set(t.description ?? "", (count.get(t.description ?? "") ?? 0) + 1);
    const mine = new Set(this.writes.map((w) => w.body.description));
    return {
      missing: this.acknowledged()
        .map((w) => w.body.description)
        .filter((d) => !count.has(d)),
      doubled: [...count].filter(([, n]) => n > 1).map(([d]) => d),
      unknown: [...count.keys()].filter((d) => !mine.has(d)),
    };
  }
}
