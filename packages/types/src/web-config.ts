import { z } from "zod";

/**
 * `/config.json`, which the web app reads before it shows a sign-in page: how this deployment signs
 * people in. The local server answers it itself; on AWS the stack writes it into the web bucket.
 */
export const WebConfig = z.discriminatedUnion("auth", [
  z.object({ auth: z.literal("local") }),
  z.object({
    auth: z.literal("cognito"),
    /** The user pool's region, e.g. `eu-west-1`. */
    region: z
      .string()
      .regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, { error: "must be an AWS region such as us-east-1" }),
    /** `<region>_<id>`, as the stack's output `UserPoolId`. */
    userPoolId: z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d_[0-9a-zA-Z]+$/, {
      error: "must be a user pool id such as us-east-1_AbC123",
    }),
    /** The app client without a secret (`UserPoolClientId`). */
    clientId: z.string().regex(/^[\w+]{1,128}$/, { error: "must be an app client id" }),
    /** Cognito's user-pool API; unset: `https://cognito-idp.<region>.amazonaws.com/`. Tests use a stand-in. */
    endpoint: z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).optional(),
    /** The pool's minimum password length, so that the form can say it before asking the pool. */
    passwordMinLength: z.int().min(6).max(99).optional(),
  }),
]);
export type WebConfig = z.infer<typeof WebConfig>;
export type CognitoWebConfig = Extract<WebConfig, { auth: "cognito" }>;
