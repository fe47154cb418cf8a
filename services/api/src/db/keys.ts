/**
 * Every key Tyche writes, spelled once. Owner-scoped keys begin with the tenant and user taken from
 * the verified token, so a query built here cannot reach another tenant's partition.
 */
export interface Owner {
  tenantId: string;
  userId: string;
}

export const ownerKey = ({ tenantId, userId }: Owner) => `TENANT#${tenantId}#USER#${userId}`;
export const tenantKey = (tenantId: string) => `TENANT#${tenantId}`;

export const keys = {
  tenant: (tenantId: string) => ({ PK: tenantKey(tenantId), SK: "TENANT" }),
  profile: (o: Owner) => ({ PK: ownerKey(o), SK: "PROFILE" }),
  emailClaim: (email: string) => ({ PK: `EMAIL#${email}`, SK: "EMAIL" }),
  loginThrottle: (email: string) => ({ PK: `LOGIN#${email}`, SK: "THROTTLE" }),
  category: (o: Owner, categoryId: string) => ({ PK: ownerKey(o), SK: `CATEGORY#${categoryId}` }),
  categoryTypeClaim: (o: Owner, type: string) => ({ PK: ownerKey(o), SK: `CATEGORY_TYPE#${type}` }),
  budget: (o: Owner, month: string) => ({ PK: ownerKey(o), SK: `BUDGET#${month}` }),
  audit: (o: Owner, at: string, id: string) => ({ PK: ownerKey(o), SK: `AUDIT#${at}#${id}` }),
};

export const prefixes = { category: "CATEGORY#", budget: "BUDGET#" } as const;
