import { WebConfig } from "@tyche/types";

/** A `/config.json` that is there but says something the app cannot use: shown, never guessed past. */
export class RuntimeConfigError extends Error {}

const LOCAL: WebConfig = { auth: "local" };

/**
 * How this deployment signs people in, read once before the first page. No file (a 404, as from
 * an older deployment or the Vite dev server), a network failure or something that is not JSON
 * (a dev server's index.html) means local accounts, as before there was a file. A file that is
 * JSON but not a valid config is an operator's mistake: it is reported, not taken for local,
 * which on AWS would only show sign-in forms that cannot work.
 */
export async function loadRuntimeConfig(
  get: (url: string, init: RequestInit) => Promise<Response> = (url, init) => fetch(url, init),
): Promise<WebConfig> {
  let text: string;
  try {
    // no-store: a cached answer could outlive a change of sign-in (local to the user pool).
    const res = await get("/config.json", { cache: "no-store", headers: { accept: "application/json" } });
    if (!res.ok) return LOCAL;
    text = await res.text();
  } catch {
    return LOCAL;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return LOCAL;
  }
  const checked = WebConfig.safeParse(json);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    throw new RuntimeConfigError(
      `config.json is not valid${issue ? `: ${issue.path.join(".") || "the file"} ${issue.message}` : ""}`,
    );
  }
  return checked.data;
}
