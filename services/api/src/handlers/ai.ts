import { createRoute, z } from "@hono/zod-openapi";
import { AssistantInfo, ChatEvent, ChatRequest, Conversation, ConversationSummary, Id } from "@tyche/types";
import type { ChatService } from "../ai/chat/chat-service";
import { routes } from "../http/routes";
import { json, jsonBody, problems } from "../http/schemas";

const tags = ["assistant"];
const security = [{ bearer: [] }];
const IdParam = z.object({ id: Id });

/** A comment line every so often, so a proxy does not close a stream that waits on a slow model. */
const KEEPALIVE_MS = 15_000;

const info = createRoute({
  operationId: "getAssistant",
  method: "get",
  path: "/v1/ai/assistant",
  tags,
  security,
  summary:
    "Which advisor answers (built-in or a model), its tools for this token, and questions worth asking",
  responses: { 401: problems[401], 200: json(AssistantInfo, "The assistant") },
});

const chat = createRoute({
  operationId: "chat",
  method: "post",
  path: "/v1/ai/chat",
  tags,
  security,
  summary:
    "Ask the advisor: the answer streams as server-sent events, and the turn is kept in the conversation",
  description:
    "Each event's `event:` is its `type` and its `data:` the ChatEvent as JSON: one `start`, then `text`, " +
    "`tool-call`, `tool-result` and `tool-error` as they happen, then `done` or `error`. Every figure in the " +
    "answer comes from a tool result carried in the stream. A read token may ask; it is offered no write tools.",
  request: { body: jsonBody(ChatRequest) },
  responses: {
    401: problems[401],
    200: {
      description: "text/event-stream of ChatEvent",
      content: { "text/event-stream": { schema: ChatEvent } },
    },
    400: problems[400],
    404: problems[404],
  },
});

const list = createRoute({
  operationId: "listConversations",
  method: "get",
  path: "/v1/ai/conversations",
  tags,
  security,
  summary: "Your conversations with the advisor, the newest first (the last 50)",
  responses: {
    401: problems[401],
    200: json(z.object({ items: z.array(ConversationSummary) }), "Conversations"),
  },
});

const get = createRoute({
  operationId: "getConversation",
  method: "get",
  path: "/v1/ai/conversations/{id}",
  tags,
  security,
  summary: "A conversation with every turn: questions, answers and the tool results behind them",
  request: { params: IdParam },
  responses: { 401: problems[401], 200: json(Conversation, "The conversation"), 404: problems[404] },
});

const remove = createRoute({
  operationId: "deleteConversation",
  method: "delete",
  path: "/v1/ai/conversations/{id}",
  tags,
  security,
  summary: "Forget a conversation",
  request: { params: IdParam },
  responses: { 401: problems[401], 204: { description: "Deleted" }, 404: problems[404] },
});

const encoder = new TextEncoder();
const frame = (e: ChatEvent) => encoder.encode(`event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`);

/** The events as an SSE body; a client that goes away stops the advisor through `stop`. */
function sse(events: AsyncIterable<ChatEvent>, stop: AbortController): ReadableStream<Uint8Array> {
  const iterator = events[Symbol.asyncIterator]();
  let keepalive: ReturnType<typeof setInterval> | undefined;
  return new ReadableStream({
    start(controller) {
      keepalive = setInterval(() => controller.enqueue(encoder.encode(": keepalive\n\n")), KEEPALIVE_MS);
    },
    async pull(controller) {
      const next = await iterator.next();
      if (next.done) {
        clearInterval(keepalive);
        controller.close();
      } else controller.enqueue(frame(next.value));
    },
    async cancel() {
      clearInterval(keepalive);
      stop.abort();
      // The client has gone: the advisor stops, and the turn runs to its end unread, so that what
      // was answered by then is still kept.
      void (async () => {
        while (!(await iterator.next()).done);
      })();
    },
  });
}

export const aiRoutes = (chats: ChatService) =>
  routes()
    .openapi(info, async (c) => c.json(await chats.info(c.get("principal")), 200))
    .openapi(chat, async (c) => {
      const stop = new AbortController();
      c.req.raw.signal.addEventListener("abort", () => stop.abort(), { once: true });
      const events = await chats.ask(c.get("principal"), c.req.valid("json"), stop.signal);
      return c.body(sse(events, stop), 200, {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-cache, no-transform",
        // nginx and similar proxies would otherwise hold the stream until it ends.
        "x-accel-buffering": "no",
      });
    })
    .openapi(list, async (c) => c.json({ items: await chats.list(c.get("principal")) }, 200))
    .openapi(get, async (c) => c.json(await chats.get(c.get("principal"), c.req.valid("param").id), 200))
    .openapi(remove, async (c) => {
      await chats.remove(c.get("principal"), c.req.valid("param").id);
      return c.body(null, 204);
    });
