import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join, relative } from "node:path";

/** Where the web app's sources are, and what goes into its bundle besides them. */
const SOURCES = [
  "web/src",
  "web/index.html",
  "web/vite.config.ts",
  "web/package.json",
  "packages/core/src",
  "packages/types/src",
];
const STAMP = ".source-hash";

async function* files(path: string): AsyncGenerator<string> {
  const entries = await readdir(path, { withFileTypes: true }).catch(() => undefined);
  if (!entries) {
    if (existsSync(path)) yield path;
    return;
  }
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) yield* files(join(path, e.name));
}

/** A hash of every file the bundle is built from: a changed one means the build is out of date. */
export async function webSourceHash(root: string): Promise<string> {
  // What the build makes besides its sources: a bundle built another way is out of date too.
  const hash = createHash("sha256").update("production\0");
  for (const source of SOURCES) {
    for await (const file of files(join(root, source))) {
      hash
        .update(relative(root, file))
        .update("\0")
        .update(await readFile(file))
        .update("\0");
    }
  }
  return hash.digest("hex");
}

/**
 * Builds the web app unless `web/dist` was built from the sources as they are (`npm ci` builds it
 * and `npm test` build it already; this catches a checkout or an edit since). It builds into a fresh folder and swaps it
 * in, so a server starting beside this one never serves half a build.
 */
export async function ensureWebBuilt(root: string, show = false): Promise<"fresh" | "built"> {
  const dist = join(root, "web", "dist");
  const hash = await webSourceHash(root);
  const stamp = await readFile(join(dist, STAMP), "utf8").catch(() => "");
  if (stamp === hash) return "fresh";
  const out = join(root, "web", `dist-${process.pid}-${Date.now()}`);
  const vite = join(root, "node_modules", "vite", "bin", "vite.js");
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [vite, "build", "--outDir", out, "--emptyOutDir"], {
      cwd: join(root, "web"),
      // Always the production bundle: a server started by a test runner inherits NODE_ENV=test,
      // which would otherwise give React's development build.
      env: { ...process.env, NODE_ENV: "production" },
      // Shown, Vite's report lists every chunk with its gzipped size.
      stdio: ["ignore", show ? "inherit" : "pipe", show ? "inherit" : "pipe"],
    });
    let output = "";
    child.stdout?.on("data", (d) => (output += d));
    child.stderr?.on("data", (d) => (output += d));
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`vite build failed:\n${output}`))));
  });
  await writeFile(join(out, STAMP), hash);
  await rm(dist, { recursive: true, force: true });
  await rename(out, dist);
  return "built";
}
