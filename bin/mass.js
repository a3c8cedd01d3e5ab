#!/usr/bin/env node
// Entry of the `mass` command: runs the compiled CLI, or says how to build it.
import { existsSync } from "node:fs";

// libuv's thread pool runs every LevelDB read, write and fsync; with the default 4 threads, a burst of
// durable consensus writes holds up the reads that blocks and the RPC wait on. Set before first use.
process.env.UV_THREADPOOL_SIZE ??= "16";

const entry = new URL("../dist/src/cli/main.js", import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write("mass: the project is not built yet; run `npm run build` (or `npm ci`) first\n");
  process.exit(1);
}
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
