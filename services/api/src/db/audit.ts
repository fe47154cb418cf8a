import { ulid } from "ulid";
import { keys, type Owner, tenantKey } from "./keys";

export interface AuditEntry {
  owner: Owner;
  /** e.g. `budget.update`: the entity type and the verb. */
  action: string;
  entityId: string;
  before?: unknown;
  after?: unknown;
}

/** The audit record of one change; written in the change's own transaction, never on its own. */
export function auditItem(entry: AuditEntry, now: Date): Record<string, unknown> {
  const at = now.toISOString();
  const id = ulid(now.getTime());
  const key = keys.audit(entry.owner, at, id);
  return {
    ...key,
    GSI1PK: tenantKey(entry.owner.tenantId),
    GSI1SK: key.SK,
    entity: "audit",
    auditId: id,
    at,
    tenantId: entry.owner.tenantId,
    userId: entry.owner.userId,
    action: entry.action,
    entityId: entry.entityId,
    before: entry.before,
    after: entry.after,
  };
}
