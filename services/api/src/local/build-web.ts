import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { ensureWebBuilt } from "./web-build";

/** `npm run build`: the web app, unless it is already built from the sources as they are. */
const root = resolve(dirname(fileURLToPath(import.meta.url)), "../../../..");
const result = await ensureWebBuilt(root, true);
if (result === "fresh") console.log("web/dist is up to date with its sources; nothing to build.");
