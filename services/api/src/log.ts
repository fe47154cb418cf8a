import pino, { type DestinationStream, type Logger } from "pino";

export type { Logger } from "pino";

/**
 * What a log line must never hold: credentials (bearer tokens, cookies, passwords, personal access
 * tokens) and a person's spending (an amount beside a merchant or payee says where their money
 * went). Paths one and two levels down, as pino's redaction has no "anywhere".
 */
const SECRET_FIELDS = [
  "authorization",
  "cookie",
  "set-cookie",
  "password",
  "newPassword",
  "currentPassword",
  "token",
  "accessToken",
  "idToken",
  "refreshToken",
  "secret",
  "hash",
];
const MONEY_FIELDS = [
  "amount",
  "amountCents",
  "merchant",
  "merchantRaw",
  "merchantName",
  "payee",
  "description",
  "notes",
];
export const REDACTED_PATHS = [
  "req.headers.authorization",
  "req.headers.cookie",
  "res.headers['set-cookie']",
  ...[...SECRET_FIELDS, ...MONEY_FIELDS].flatMap((f) => [f, `*.${f}`, `*.*.${f}`]),
];

/** LOG_LEVEL, else info; under the test runner silent unless LOG_LEVEL asks, so test output stays readable. */
export function logLevel(env: Readonly<Record<string, string | undefined>> = process.env): string {
  return env.LOG_LEVEL ?? (env.VITEST ? "silent" : "info");
}

/** JSON lines on stdout (or `destination`), one object a line, as CloudWatch and `jq` read them. */
export function createLogger(options: { level?: string; destination?: DestinationStream } = {}): Logger {
  return pino(
    {
      level: options.level ?? logLevel(),
      redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
      timestamp: pino.stdTimeFunctions.isoTime,
      base: { service: "tyche-api" },
      formatters: { level: (label) => ({ level: label }) },
    },
    options.destination ?? pino.destination({ fd: 1, sync: true }),
  );
}

let shared: Logger | undefined;
/** The process's logger, made on first use. */
export const log = (): Logger => {
  shared ??= createLogger();
  return shared;
};
