import type { ChatEvent } from "@tyche/types";
import { afterAll, describe, expect, it } from "vitest";
import type { Advisor } from "../src/ai/advisor";
import { ungroundedFigures } from "../src/ai/grounding";
import { createModelAdvisor } from "../src/ai/model/model-advisor";
import { type Harness, harness, ownerItems, signup, type Account as User } from "./support/harness";
import { type Step, scriptedModel } from "./support/scripted-model";

/**
 * The chat loop with the AI SDK's mock language model scripting the tool calls: the tools run on
 * the real DynamoDB Local, their results reach the model, the stream reaches the client, a failing
 * tool gives the model an error it can read, and every figure in the answer is a tool's.
 */
const MONTH = "2030-01";
const TODAY = "2030-01-15";

const opened: Harness[] = [];
afterAll(async () => {
  await Promise.all(opened.map((h) => h.close()));
});

function chatApp(script: Step[]) {
  const scripted = scriptedModel(script);
  const h = harness(undefined, {
    today: () => TODAY,
    advisor: createModelAdvisor(scripted.model, "scripted:script"),
  });
  opened.push(h);
  return { h, scripted };
}

/** Reads a server-sent event stream into its events, checking each frame's event name is its type. */
function parseSse(text: string): ChatEvent[] {
  return text
    .split("\n\n")
    .filter((frame) => frame.trim() && !frame.startsWith(":"))
    .map((frame) => {
      const event = /^event: (.+)$/m.exec(frame)?.[1];
      const data = JSON.parse(/^data: (.+)$/m.exec(frame)?.[1] ?? "null") as ChatEvent;
      expect(event).toBe(data.type);
      return data;
    });
}

async function ask(h: Harness, u: { token: string }, body: unknown) {
  const res = await h.fetch("/v1/ai/chat", {
    method: "POST",
    headers: { authorization: `Bearer ${u.token}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  return {
    status: res.status,
    type: res.headers.get("content-type"),
    text,
    events: res.ok ? parseSse(text) : [],
  };
}

/** Income $3,000, $2,000 planned, dining $120 over: $880 for a $1,000 Visa at 12 %, fixed $50 minimum. */
async function fixture(h: Harness): Promise<User & { ids: Record<string, string> }> {
  const u = await signup(h);
  const call = async (method: string, path: string, body: unknown) => {
    const res = await h.call(method, path, { token: u.token, body });
    expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
    return res.body;
  };
  const list = await h.call("GET", "/v1/categories", { token: u.token });
  const ids: Record<string, string> = Object.fromEntries(
    list.body.items.map((c: { type: string; categoryId: string }) => [c.type, c.categoryId]),
  );
  await call("POST", "/v1/budgets", {
    month: MONTH,
    totalIncome: 300_000,
    categories: [
      { categoryId: ids.housing, limit: 120_000 },
      { categoryId: ids.groceries, limit: 50_000 },
      { categoryId: ids.dining, limit: 20_000 },
      { categoryId: ids.entertainment, limit: 10_000 },
    ],
  });
  await call("POST", "/v1/transactions", {
    date: `${MONTH}-08`,
    amount: 32_000,
    type: "expense",
    categoryId: ids.dining,
    merchant: "Bistro",
  });
  await call("POST", "/v1/cards", {
    name: "Visa",
    balance: 100_000,
    aprBasisPoints: 1200,
    creditLimit: 400_000,
    dueDay: 20,
    minimumPayment: { kind: "fixed", amount: 5_000 },
  });
  return { ...u, ids };
}

const PLAN_ANSWER =
  "Pay $880.00 to Visa this month and $130.00 in February 2030: you are debt-free then, with $11.30 of interest.";

describe("POST /v1/ai/chat with a model", () => {
  it("runs the tools the model calls, gives it their results, and streams words and tool results to the client", async () => {
    const { h, scripted } = chatApp([
      {
        tools: [
          { name: "get_user_context", input: { month: MONTH } },
          { name: "calculate_payoff", input: { month: MONTH } },
        ],
      },
      { text: PLAN_ANSWER },
    ]);
    const u = await fixture(h);
    const res = await ask(h, u, { message: "How do I get out of debt?" });
    expect(res.status).toBe(200);
    expect(res.type).toMatch(/^text\/event-stream/);

    const [start, ...rest] = res.events;
    expect(start).toMatchObject({ type: "start", advisor: "model", model: "scripted:script" });
    expect(rest.at(-1)).toMatchObject({ type: "done" });
    const kinds = rest.map((e) => e.type);
    expect(kinds.indexOf("tool-call")).toBeLessThan(kinds.indexOf("tool-result"));
    expect(kinds.lastIndexOf("tool-result")).toBeLessThan(kinds.indexOf("text"));

    const results = rest.filter((e) => e.type === "tool-result");
    // The two calls run at once: their results come in the order they finish.
    expect(results.map((e) => e.tool).sort()).toEqual(["calculate_payoff", "get_user_context"]);
    const resultOf = (tool: string) => results.find((e) => e.tool === tool)?.output;
    const context = resultOf("get_user_context") as { budget: { availableForDebtPayoff: number } };
    expect(context.budget.availableForDebtPayoff).toBe(88_000);
    const payoff = resultOf("calculate_payoff") as {
      chosen: { totalInterest: number; debtFreeMonth: string };
    };
    expect(payoff.chosen).toMatchObject({ totalInterest: 1_130, debtFreeMonth: "2030-02" });

    // The model's second step was sent the tools' results, computed from the user's data.
    const secondPrompt = JSON.stringify(scripted.sent[1]?.prompt);
    expect(secondPrompt).toContain('"availableForDebtPayoff":88000');
    expect(scripted.sent[0]?.prompt[0]).toMatchObject({ role: "system" });

    const answer = rest.flatMap((e) => (e.type === "text" ? [e.delta] : [])).join("");
    expect(answer).toBe(PLAN_ANSWER);
    const values = rest.flatMap((e) =>
      e.type === "tool-call" ? [e.input] : e.type === "tool-result" ? [e.output] : [],
    );
    expect(ungroundedFigures(answer, values)).toEqual([]);
  });

  it("keeps the turn, and gives the model the conversation's history on the next question", async () => {
    const { h, scripted } = chatApp([
      { tools: [{ name: "calculate_payoff", input: { month: MONTH } }] },
      { text: PLAN_ANSWER },
    ]);
    const u = await fixture(h);
    const first = await ask(h, u, { message: "How do I get out of debt?" });
    const start = first.events[0] as Extract<ChatEvent, { type: "start" }>;

    const stored = await h.call("GET", `/v1/ai/conversations/${start.conversationId}`, { token: u.token });
    expect(stored.status).toBe(200);
    expect(stored.body).toMatchObject({
      conversationId: start.conversationId,
      title: "How do I get out of debt?",
    });
    expect(stored.body.turns).toHaveLength(1);
    expect(stored.body.turns[0]).toMatchObject({
      turnId: start.turnId,
      question: "How do I get out of debt?",
      answer: PLAN_ANSWER,
      advisor: "model",
      tools: [
        {
          tool: "calculate_payoff",
          input: { month: MONTH },
          output: expect.objectContaining({ monthlyAmount: 88_000 }),
        },
      ],
    });
    const listed = await h.call("GET", "/v1/ai/conversations", { token: u.token });
    expect(listed.body.items.map((c: { conversationId: string }) => c.conversationId)).toEqual([
      start.conversationId,
    ]);

    scripted.queue({ text: "As I said: $880.00 a month." });
    const second = await ask(h, u, { message: "Say that again?", conversationId: start.conversationId });
    expect(second.events.at(-1)).toMatchObject({ type: "done" });
    const prompt = scripted.sent.at(-1)?.prompt ?? [];
    expect(prompt.map((m) => m.role)).toEqual(["system", "user", "assistant", "user"]);
    expect(JSON.stringify(prompt[2])).toContain("Pay $880.00 to Visa");
    const again = await h.call("GET", `/v1/ai/conversations/${start.conversationId}`, { token: u.token });
    expect(again.body.turns.map((t: { question: string }) => t.question)).toEqual([
      "How do I get out of debt?",
      "Say that again?",
    ]);
  });

  it("gives the model a failing tool's error to read, and goes on to answer", async () => {
    const { h, scripted } = chatApp([
      { tools: [{ name: "set_category_limit", input: { month: MONTH, categoryId: "nope", limit: -1 } }] },
      { text: "I could not change that limit: the category id was not valid." },
    ]);
    const u = await fixture(h);
    const before = await ownerItems(h.store, u.owner);
    const res = await ask(h, u, { message: "Set dining to minus one" });
    const error = res.events.find((e) => e.type === "tool-error");
    expect(error).toMatchObject({
      tool: "set_category_limit",
      error: expect.stringMatching(/categoryId: must be an id/),
    });
    expect(JSON.stringify(error)).toMatch(/limit: must not be negative/);
    expect(res.events.at(-1)).toMatchObject({ type: "done" });
    // The model read the error as the tool's result.
    expect(JSON.stringify(scripted.sent[1]?.prompt)).toMatch(/categoryId: must be an id/);
    // Nothing of the books changed; only the conversation was kept.
    const after = (await ownerItems(h.store, u.owner)).filter(
      (i) => !/^(CONVO|CHAT)#/.test(String(i.SK)) && !String(i.action ?? "").startsWith("conversation."),
    );
    expect(after).toEqual(before);
  });

  it("offers a read token only the read tools, and refuses a write tool it names anyway", async () => {
    const { h, scripted } = chatApp([
      {
        tools: [
          { name: "create_goal", input: { name: "Car", targetAmount: 100_000, targetDate: "2031-01-31" } },
        ],
      },
      { text: "I cannot create goals with this token." },
    ]);
    const u = await fixture(h);
    const made = await h.call("POST", "/v1/tokens", {
      token: u.token,
      body: { name: "reader", scope: "read" },
    });
    expect(made.status).toBe(201);
    const res = await ask(h, { token: made.body.token }, { message: "Make a car goal" });
    expect(res.status).toBe(200);
    const offered = (scripted.sent[0]?.tools ?? []).map((t) => t.name);
    expect(offered).toContain("calculate_payoff");
    expect(offered).not.toContain("create_goal");
    expect(offered).not.toContain("add_transaction");
    expect(res.events.find((e) => e.type === "tool-error")).toMatchObject({ tool: "create_goal" });
    const goals = await h.call("GET", "/v1/goals", { token: u.token });
    expect(goals.body.items).toEqual([]);
  });

  it("reports a model that fails mid-answer as an error event, and keeps what was said", async () => {
    const { h } = chatApp([]);
    const u = await fixture(h);
    const res = await ask(h, u, { message: "Hello?" });
    expect(res.events[0]).toMatchObject({ type: "start" });
    expect(res.events.at(-1)).toMatchObject({
      type: "error",
      detail: expect.stringMatching(/could not finish/),
    });
  });
});

describe("a client that goes away", () => {
  it("stops the advisor, and the turn keeps what was answered", async () => {
    let stopped = false;
    const advisor: Advisor = {
      kind: "model",
      model: "waiting",
      async *answer({ signal }) {
        yield { type: "text", delta: "First, the budget." };
        // Already aborted by the time the stream asks for more, or aborted while it waits.
        await new Promise<void>((resolve) => {
          if (signal?.aborted) resolve();
          signal?.addEventListener("abort", () => resolve(), { once: true });
        });
        stopped = true;
      },
    };
    const h = harness(undefined, { today: () => TODAY, advisor });
    opened.push(h);
    const u = await signup(h);
    const res = await h.fetch("/v1/ai/chat", {
      method: "POST",
      headers: { authorization: `Bearer ${u.token}`, "content-type": "application/json" },
      body: JSON.stringify({ message: "Tell me everything" }),
    });
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    let seen = "";
    while (!seen.includes("First, the budget."))
      seen += new TextDecoder().decode((await reader.read()).value);
    await reader.cancel();
    const start = parseSse(seen.slice(0, seen.indexOf("\n\n") + 2))[0] as Extract<
      ChatEvent,
      { type: "start" }
    >;
    await expect.poll(() => stopped).toBe(true);
    await expect
      .poll(
        async () =>
          (await h.call("GET", `/v1/ai/conversations/${start.conversationId}`, { token: u.token })).body
            ?.turns?.[0]?.answer,
      )
      .toBe("First, the budget. [stopped]");
  });
});

describe("the chat's refusals", () => {
  it("refuses bad input naming the field, another user's conversation, and a missing token", async () => {
    const { h } = chatApp([{ text: "Hi." }]);
    const u = await fixture(h);
    const empty = await h.call("POST", "/v1/ai/chat", { token: u.token, body: { message: "  " } });
    expect(empty.status).toBe(400);
    expect(empty.body.errors).toEqual([{ path: "message", message: "must not be empty" }]);
    const extra = await h.call("POST", "/v1/ai/chat", {
      token: u.token,
      body: { message: "hi", userId: "x" },
    });
    expect(extra.status).toBe(400);

    const first = await ask(h, u, { message: "Hello" });
    const start = first.events[0] as Extract<ChatEvent, { type: "start" }>;
    const other = await signup(h);
    const theirs = await h.call("POST", "/v1/ai/chat", {
      token: other.token,
      body: { message: "hi", conversationId: start.conversationId },
    });
    expect(theirs.status).toBe(404);
    expect(
      (await h.call("GET", `/v1/ai/conversations/${start.conversationId}`, { token: other.token })).status,
    ).toBe(404);
    expect(
      (await h.call("DELETE", `/v1/ai/conversations/${start.conversationId}`, { token: other.token })).status,
    ).toBe(404);
    expect((await h.call("GET", "/v1/ai/conversations", { token: other.token })).body.items).toEqual([]);
    expect((await h.call("POST", "/v1/ai/chat", { body: { message: "hi" } })).status).toBe(401);

    const removed = await h.call("DELETE", `/v1/ai/conversations/${start.conversationId}`, {
      token: u.token,
    });
    expect(removed.status).toBe(204);
    expect(
      (await h.call("GET", `/v1/ai/conversations/${start.conversationId}`, { token: u.token })).status,
    ).toBe(404);
    const left = (await ownerItems(h.store, u.owner)).filter((i) => /^(CONVO|CHAT)#/.test(String(i.SK)));
    expect(left).toEqual([]);
  });
});
