import { WebConfig } from "@tyche/types";
import type { Config } from "../config";

/**
 * What `/config.json` tells the web app about signing in: local accounts, or the user pool (its
 * region is the one its id begins with). Checked against the web app's own schema, so a server
 * that would hand the browser something it refuses does not start.
 */
export function webConfigFor(auth: Config["auth"]): WebConfig {
  if (auth.mode === "local") return { auth: "local" };
  return WebConfig.parse({
    auth: "cognito",
    region: auth.userPoolId.split("_")[0],
    userPoolId: auth.userPoolId,
    clientId: auth.clientId,
    ...(auth.endpoint ? { endpoint: auth.endpoint } : {}),
  });
}

/**
 * `/config.json` as the local server answers it. Never cached: it says which sign-in the app uses,
 * and a browser holding on to an old answer after the server's AUTH_MODE changed would sign in
 * the wrong way.
 */
export function webConfigAnswer(config: WebConfig): (req: Request) => Response {
  const body = JSON.stringify(config);
  return (req) =>
    req.method === "GET" || req.method === "HEAD"
      ? new Response(req.method === "HEAD" ? null : body, {
          headers: {
            "content-type": "application/json",
            "cache-control": "no-store",
            "x-content-type-options": "nosniff",
          },
        })
      : new Response("Method not allowed", { status: 405, headers: { allow: "GET, HEAD" } });
}
