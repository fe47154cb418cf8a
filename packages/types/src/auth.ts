import { z } from "zod";
import { Instant } from "./primitives";

const Email = z
  .email({ error: "must be an email address" })
  .max(254)
  .transform((e) => e.trim().toLowerCase());

export const SignupInput = z.strictObject({
  email: Email,
  password: z
    .string()
    .min(10, { error: "must be at least 10 characters" })
    .max(200, { error: "must be at most 200 characters" }),
  name: z.string().trim().min(1, { error: "must not be empty" }).max(100),
});
export type SignupInput = z.infer<typeof SignupInput>;

export const LoginInput = z.strictObject({
  email: Email,
  password: z.string().min(1).max(200),
});
export type LoginInput = z.infer<typeof LoginInput>;

export const User = z.object({
  userId: z.string(),
  tenantId: z.string(),
  email: z.string(),
  name: z.string(),
  createdAt: Instant,
});
export type User = z.infer<typeof User>;

export const AuthResponse = z.object({ token: z.string(), expiresAt: Instant, user: User });
