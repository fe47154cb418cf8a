/**
 * A fresh Idempotency-Key. `crypto.randomUUID` exists only in secure contexts (https, localhost);
 * `getRandomValues` everywhere, so the app served on a LAN address still gets unique keys.
 */
export function newKey(): string {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
