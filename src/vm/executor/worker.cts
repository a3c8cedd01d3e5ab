/**
 * Piscina worker entry: one harbor task per call. Piscina loads its task file with require(); on
 * Node 20.19+ that loads an ES module synchronously, and two overlapping loads of one module graph
 * in a starting worker abort the process (V8 fatal "IsGraphAsync ... instantiated module"). This
 * CommonJS entry is safe to require, and imports the ES module task asynchronously, once.
 */
import type { HarborResult, HarborTask } from "./task.js";

let task: Promise<typeof import("./task.js")> | undefined;

async function run(input: HarborTask): Promise<HarborResult> {
  task ??= import("./task.js");
  return (await task).executeHarbor(input);
}

export = run;
