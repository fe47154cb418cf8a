import { main } from "./main";

// The entry of `npx tyche-transfer` (services/api/bin/tyche-transfer.js runs it with tsx).
process.exitCode = await main(process.argv.slice(2), process.env, {
  out: (line) => console.log(line),
  err: (line) => console.error(line),
});
