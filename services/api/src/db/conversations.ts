import { GetCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { ChatTurn, ConversationSummary } from "@tyche/types";
import { deleteAll } from "./batch";
import { Entity } from "./entity";
import { keys, type Owner, ownerKey, prefixes } from "./keys";
import { queryPrefix } from "./query";
import type { Store } from "./store";
import { commit, type WriteOp } from "./transact";

const DAY_S = 24 * 60 * 60;
/** A conversation nobody returns to is forgotten (DynamoDB TTL) this long after its last turn. */
export const KEEP_CONVERSATION_DAYS = 180;
/** The newest conversations a list shows. */
export const MAX_LISTED = 50;
/**
 * What a turn may keep of its tools' outputs, in bytes of JSON: well inside DynamoDB's 400 KB item,
 * with the question and answer beside it. A larger output is kept as a note, not cut mid-value.
 */
export const MAX_TOOL_OUTPUT_BYTES = 64 * 1024;

const expiresAt = (now: Date) => Math.floor(now.getTime() / 1000) + KEEP_CONVERSATION_DAYS * DAY_S;

/**
 * Conversations with the advisor, in tyche-users: a header (`CONVO#<id>`: title and times) and one
 * item per turn (`CHAT#<id>#<turnId>`). A turn is created once and never changed, so two tabs
 * asking in the same conversation at once both land; the header's times are set without a
 * condition for the same reason.
 */
export class ConversationRepository {
  private readonly turns: Entity<ChatTurn & { conversationId: string }>;

  constructor(private readonly store: Store) {
    this.turns = new Entity(store, {
      name: "chatTurn",
      table: "users",
      schema: ChatTurn.extend({ conversationId: ConversationSummary.shape.conversationId }),
      key: (o, t) => keys.chatTurn(o, t.conversationId, t.turnId),
    });
  }

  private get table() {
    return this.store.tables.users;
  }

  /**
   * Strongly consistent, as `turnsOf`: a conversation is read right after a turn was kept (the page
   * reopens it, the next question needs it as history), and an eventually consistent read could
   * still miss a conversation made a moment ago.
   */
  async get(owner: Owner, conversationId: string): Promise<ConversationSummary | undefined> {
    const res = await this.store.db.send(
      new GetCommand({
        TableName: this.table,
        Key: keys.conversation(owner, conversationId),
        ConsistentRead: true,
      }),
    );
    return res.Item ? ConversationSummary.parse(res.Item) : undefined;
  }

  /** The newest conversations first. */
  async list(owner: Owner): Promise<ConversationSummary[]> {
    const res = await this.store.db.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: "PK = :pk AND begins_with(SK, :prefix)",
        ExpressionAttributeValues: { ":pk": ownerKey(owner), ":prefix": prefixes.conversation },
        ScanIndexForward: false,
        Limit: MAX_LISTED,
        // The page lists them right after a first answer made one.
        ConsistentRead: true,
      }),
    );
    return (res.Items ?? []).map((i) => ConversationSummary.parse(i));
  }

  /** A conversation's turns in the order they were asked, with every turn already kept. */
  async turnsOf(owner: Owner, conversationId: string): Promise<ChatTurn[]> {
    const out: ChatTurn[] = [];
    const prefix = `${prefixes.chatTurn}${conversationId}#`;
    for await (const item of queryPrefix(this.store.db, this.table, ownerKey(owner), prefix, true)) {
      const { conversationId: _, ...turn } = this.turns.parse(item);
      out.push(turn);
    }
    return out;
  }

  /**
   * Keeps a turn, with its conversation's header (made by the first turn, titled by its question),
   * and the audit record, in one transaction.
   */
  async saveTurn(owner: Owner, conversationId: string, turn: ChatTurn, title: string, now = new Date()) {
    const at = now.toISOString();
    const ttl = expiresAt(now);
    const header: WriteOp = {
      item: {
        Update: {
          TableName: this.table,
          Key: keys.conversation(owner, conversationId),
          UpdateExpression:
            "SET entity = :entity, conversationId = :id, title = if_not_exists(title, :title), " +
            "createdAt = if_not_exists(createdAt, :at), updatedAt = :at, #ttl = :ttl",
          ExpressionAttributeNames: { "#ttl": "ttl" },
          ExpressionAttributeValues: {
            ":entity": "conversation",
            ":id": conversationId,
            ":title": title,
            ":at": at,
            ":ttl": ttl,
          },
        },
      },
    };
    const create = this.turns.createOp(owner, { ...keepable(turn), conversationId });
    (create.item.Put as { Item: Record<string, unknown> }).Item.ttl = ttl;
    await commit(
      this.store,
      { owner, action: "conversation.turn", entityId: turn.turnId, after: { conversationId } },
      [header, create],
    );
  }

  /**
   * Forgets a conversation: the header first, in the audited write, so it leaves the list at once
   * and cannot be opened; then its turns. A stop between the two leaves turns no one can reach,
   * which their TTL removes.
   */
  async remove(owner: Owner, conversationId: string): Promise<boolean> {
    const existing = await this.get(owner, conversationId);
    if (!existing) return false;
    await commit(this.store, { owner, action: "conversation.delete", entityId: conversationId }, [
      {
        item: {
          Delete: { TableName: this.table, Key: keys.conversation(owner, conversationId) },
        },
      },
    ]);
    const turns = await this.turnsOf(owner, conversationId);
    await deleteAll(
      this.store.db,
      this.table,
      turns.map((t) => keys.chatTurn(owner, conversationId, t.turnId)),
    );
    return true;
  }
}

/** A turn with each tool output small enough to keep; a larger one becomes a note saying so. */
function keepable(turn: ChatTurn): ChatTurn {
  return {
    ...turn,
    tools: turn.tools.map((t) =>
      t.output !== undefined && JSON.stringify(t.output).length > MAX_TOOL_OUTPUT_BYTES
        ? { ...t, output: { omitted: `The result was over ${MAX_TOOL_OUTPUT_BYTES} bytes and was not kept` } }
        : t,
    ),
  };
}
