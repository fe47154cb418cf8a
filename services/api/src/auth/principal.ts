/** Who is calling, from a verified token and nothing else. */
export interface Principal {
  tenantId: string;
  userId: string;
  email: string;
  name?: string;
}

/** Turns a bearer token into a principal, or throws. One per AUTH_MODE. */
export interface Authenticator {
  readonly mode: "local" | "cognito";
  verify(token: string): Promise<Principal>;
}
