import { GetCommand } from "@aws-sdk/lib-dynamodb";
import type { z } from "zod";
import { versionMismatch } from "../errors";
import type { Owner } from "./keys";
import { queryPrefix } from "./query";
import type { Store } from "./store";
import type { TableKey } from "./tables";
import type { WriteOp } from "./transact";

export interface Key {
  PK: string;
  SK: string;
}

export interface EntityDefinition<T> {
  /** The `entity` attribute every item of this kind carries. */
  name: string;
  table: TableKey;
  /** The item's own attributes; keys and other storage attributes are stripped by parsing. */
  schema: z.ZodType<T>;
  /** Where an item lives: its key template, from `keys.ts`. */
  key: (owner: Owner, value: T) => Key;
  /** Index keys the item carries besides PK and SK (sparse indexes: only some entities have them). */
  indexKeys?: (owner: Owner, value: T) => Record<string, string>;
  /** Attributes derived from the value that only storage needs, such as search text. */
  derived?: (value: T) => Record<string, unknown>;
  /**
   * Attributes other writes keep on the item with ADD (a category's use count): set when the item
   * is created, never set nor removed by a replace, whose copy of them may already be stale.
   */
  counters?: readonly string[];
}

/**
 * One kind of item: how it is stored, read back (parsed with its schema, never cast), created
 * (only where nothing is), replaced (only at the version read) and deleted. Conditions come from
 * here, so no call site spells `attribute_not_exists` or `version = :v` by hand.
 *
 * Replacing is an UpdateItem that SETs the item's own attributes, not a PutItem: counters other
 * writes keep on the same item with ADD (a category's use count) survive an edit of its name.
 */
export class Entity<T extends object> {
  constructor(
    private readonly store: Store,
    readonly def: EntityDefinition<T>,
  ) {}

  get table(): string {
    return this.store.tables[this.def.table];
  }

  key(owner: Owner, value: T): Key {
    return this.def.key(owner, value);
  }

  /** The whole item: keys, index keys, the entity's name, derived attributes and the value. */
  item(owner: Owner, value: T): Record<string, unknown> {
    return { ...this.def.key(owner, value), ...this.attributes(owner, value) };
  }

  private attributes(owner: Owner, value: T): Record<string, unknown> {
    return {
      ...this.def.indexKeys?.(owner, value),
      entity: this.def.name,
      ...this.def.derived?.(value),
      ...value,
    };
  }

  parse(item: Record<string, unknown>): T {
    return this.def.schema.parse(item);
  }

  /** An eventually consistent read: for showing, never for deciding a write. */
  async get(key: Key): Promise<T | undefined> {
    return this.read(key, false);
  }

  /**
   * A strongly consistent read: what every read whose result feeds a conditional write uses, so a
   * replica that has not seen the last write cannot cause a false version mismatch.
   */
  async latest(key: Key): Promise<T | undefined> {
    return this.read(key, true);
  }

  private async read(key: Key, consistent: boolean): Promise<T | undefined> {
    const { Item } = await this.store.db.send(
      new GetCommand({ TableName: this.table, Key: key, ...(consistent ? { ConsistentRead: true } : {}) }),
    );
    return Item ? this.parse(Item) : undefined;
  }

  /**
   * Every item of this kind under one partition whose sort key starts with `prefix`; `consistent`
   * when what is read decides a write.
   */
  async query(pk: string, prefix: string, consistent = false): Promise<T[]> {
    const out: T[] = [];
    for await (const item of queryPrefix(this.store.db, this.table, pk, prefix, consistent)) {
      out.push(this.parse(item));
    }
    return out;
  }

  createOp(owner: Owner, value: T, onExists?: () => Error): WriteOp {
    return {
      item: {
        Put: {
          TableName: this.table,
          Item: this.item(owner, value),
          ConditionExpression: "attribute_not_exists(PK)",
        },
      },
      ...(onExists ? { onConditionFailed: onExists } : {}),
    };
  }

  /**
   * Sets `next` over `previous` if the stored version is still `previous.version`; attributes that
   * `next` no longer has (its own, index keys, derived ones) are removed. `also` adds a condition of the caller's (e.g. a status), and
   * may set attributes a replace otherwise leaves alone (a counter the change itself moves).
   */
  replaceOp(
    owner: Owner,
    previous: T & { version: number },
    next: T,
    also?: {
      condition: string;
      names?: Record<string, string>;
      values?: Record<string, unknown>;
      set?: Record<string, unknown>;
    },
  ): WriteOp {
    const key = this.def.key(owner, previous);
    if (this.def.key(owner, next).SK !== key.SK)
      throw new Error(`${this.def.name}: a replace cannot move the item`);
    const counters = new Set(this.def.counters);
    const attributes = this.attributes(owner, next);
    for (const name of counters) delete attributes[name];
    const names: Record<string, string> = { "#version": "version", ...also?.names };
    const values: Record<string, unknown> = { ":expectedVersion": previous.version, ...also?.values };
    const sets: string[] = [];
    Object.entries(attributes).forEach(([name, value], i) => {
      if (value === undefined) return;
      names[`#a${i}`] = name;
      values[`:a${i}`] = value;
      sets.push(`#a${i} = :a${i}`);
    });
    Object.entries(also?.set ?? {}).forEach(([name, value], i) => {
      names[`#s${i}`] = name;
      values[`:s${i}`] = value;
      sets.push(`#s${i} = :s${i}`);
    });
    // What the previous value stored and the next does not: its own attributes, and the index keys
    // and derived attributes it had (a sparse index drops an item whose next value has none).
    const stored = new Set([
      ...Object.keys(previous),
      ...Object.keys(this.def.indexKeys?.(owner, previous) ?? {}),
      ...Object.keys(this.def.derived?.(previous) ?? {}),
    ]);
    const removes = [...stored]
      .filter((name) => attributes[name] === undefined && !counters.has(name))
      .map((name, i) => {
        names[`#r${i}`] = name;
        return `#r${i}`;
      });
    return {
      item: {
        Update: {
          TableName: this.table,
          Key: key,
          UpdateExpression: `SET ${sets.join(", ")}${removes.length ? ` REMOVE ${removes.join(", ")}` : ""}`,
          ConditionExpression: `#version = :expectedVersion${also ? ` AND ${also.condition}` : ""}`,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        },
      },
      onConditionFailed: versionMismatch,
    };
  }

  /** Deletes the item if it is still at the version of `current`. */
  deleteOp(
    owner: Owner,
    current: T & { version: number },
    also?: { condition: string; values: Record<string, unknown> },
  ): WriteOp {
    return {
      item: {
        Delete: {
          TableName: this.table,
          Key: this.def.key(owner, current),
          ConditionExpression: `#version = :expectedVersion${also ? ` AND ${also.condition}` : ""}`,
          ExpressionAttributeNames: { "#version": "version" },
          ExpressionAttributeValues: { ":expectedVersion": current.version, ...also?.values },
        },
      },
      onConditionFailed: versionMismatch,
    };
  }
}
