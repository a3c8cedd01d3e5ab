import type { Server } from "node:http";
import type { Socket } from "node:net";

export interface ConnectionLimits {
  /** Open connections in all; each holds a file descriptor. */
  maxConnections: number;
  /** Open connections from one remote address. */
  maxPerAddress: number;
}

interface Tracked {
  address: string;
  /** A request on it is being served: never evicted, or its answer would be lost. */
  busy: boolean;
}

/**
 * Bounds the connections an HTTP server holds, in all and per remote address. A connection beyond
 * a bound evicts the oldest connection (of that address, or of any) that is not being served: idle
 * keep-alives and requests still trickling in headers or body. A flood of slow or idle connections
 * therefore cannot lock out a new client; at worst the flood churns its own connections. When every
 * connection is busy the newcomer is refused instead.
 */
export class ConnectionGuard {
  /** Insertion order is age order: the first evictable entry is the oldest. */
  private readonly open = new Map<Socket, Tracked>();
  private readonly perAddress = new Map<string, number>();
  refused = 0;
  evicted = 0;

  constructor(private readonly limits: ConnectionLimits) {}

  attach(server: Server): void {
    server.on("connection", (socket: Socket) => this.admit(socket));
  }

  get size(): number {
    return this.open.size;
  }

  /** Marks the connection carrying a request as served (not evictable) until `idle`. */
  busy(socket: Socket): void {
    const tracked = this.open.get(socket);
    if (tracked) tracked.busy = true;
  }

  idle(socket: Socket): void {
    const tracked = this.open.get(socket);
    if (tracked) tracked.busy = false;
  }

  private admit(socket: Socket): void {
    // A peer's reset must never surface as an unhandled error.
    socket.on("error", () => socket.destroy());
    const address = socket.remoteAddress ?? "unknown";
    if ((this.perAddress.get(address) ?? 0) >= this.limits.maxPerAddress && !this.evictOldest(address)) {
      this.refuse(socket);
      return;
    }
    if (this.open.size >= this.limits.maxConnections && !this.evictOldest(undefined)) {
      this.refuse(socket);
      return;
    }
    this.open.set(socket, { address, busy: false });
    this.perAddress.set(address, (this.perAddress.get(address) ?? 0) + 1);
    socket.once("close", () => this.forget(socket));
  }

  private evictOldest(address: string | undefined): boolean {
    for (const [socket, tracked] of this.open) {
      if (tracked.busy || (address !== undefined && tracked.address !== address)) continue;
      this.forget(socket);
      socket.destroy();
      this.evicted += 1;
      return true;
    }
    return false;
  }

  private refuse(socket: Socket): void {
    this.refused += 1;
    socket.destroy();
  }

  private forget(socket: Socket): void {
    const tracked = this.open.get(socket);
    if (!tracked) return;
    this.open.delete(socket);
    const left = (this.perAddress.get(tracked.address) ?? 1) - 1;
    if (left === 0) this.perAddress.delete(tracked.address);
    else this.perAddress.set(tracked.address, left);
  }
}
