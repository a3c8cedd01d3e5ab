import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { errorMessage, MassError } from "./errors.js";

export enum ListenErrorCode {
  AddressInUse = "ADDRESS_IN_USE",
  ListenFailed = "LISTEN_FAILED",
}

/** Starts `server` on host:port; a port taken by another process is a typed error naming it. */
export async function listen(server: Server, host: string, port: number, what: string): Promise<AddressInfo> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  }).catch((err: unknown) => {
    const inUse = (err as { code?: string }).code === "EADDRINUSE";
    throw new MassError(
      inUse ? ListenErrorCode.AddressInUse : ListenErrorCode.ListenFailed,
      inUse
        ? `${what} cannot listen on ${host}:${port}: the port is in use (another node running? choose another port)`
        : `${what} cannot listen on ${host}:${port}: ${errorMessage(err)}`,
    );
  });
  return server.address() as AddressInfo;
}
