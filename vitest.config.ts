import { defineConfig } from "vitest/config";

// The AWS SDK's notice that it will need Node 22 from 2027: known (README), and noise in test output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: [
            "packages/*/test/**/*.test.ts",
            "infrastructure/test/**/*.test.ts",
            "web/test/**/*.test.ts",
          ],
        },
      },
      {
        test: {
          name: "api",
          include: ["services/api/test/**/*.test.ts"],
          // One DynamoDB Local, in memory, for the whole run; tests isolate themselves by tenant.
          globalSetup: ["services/api/test/support/dynamodb.global.ts"],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: "e2e",
          include: ["e2e/**/*.test.ts"],
          testTimeout: 60_000,
          hookTimeout: 90_000,
          fileParallelism: false,
          // A page's state is read after it has drawn, never once: a read right after a navigation or
          // a click can come before the app's render. Vitest's own default (1 s) is too short for a
          // 2-core machine running the server, DynamoDB Local and Chromium at once.
          expect: { poll: { timeout: 15_000, interval: 100 } },
        },
      },
    ],
  },
});
