import { executeHarbor, type HarborResult, type HarborTask } from "./task.js";

/** Piscina worker entry: one harbor task per call. */
export default function run(task: HarborTask): HarborResult {
  return executeHarbor(task);
}
