import { RpcError, RpcErrorCode } from "./errors.js";
import type { NodeStatus } from "./methods.js";

/** A diverged node's state is wrong: it must not be served, nor transactions checked against it. */
export function refuseIfDiverged(status: () => Pick<NodeStatus, "status" | "reason">): void {
  const now = status();
  if (now.status === "diverged") {
    throw new RpcError(
      RpcErrorCode.NotReady,
      `this validator's state disagrees with the certified chain (${now.reason}); ask another validator`,
    );
  }
}
