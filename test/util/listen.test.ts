import assert from "node:assert/strict";
import { createServer } from "node:http";
import { describe, it } from "node:test";
import { ListenErrorCode, listen } from "../../src/util/listen.js";

describe("listen", () => {
  it("names the port when another server holds it", async () => {
    const first = createServer();
    const { port } = await listen(first, "127.0.0.1", 0, "first");
    try {
      await assert.rejects(
        listen(createServer(), "127.0.0.1", port, "JSON-RPC"),
        (err: { code: string; message: string }) => {
          assert.equal(err.code, ListenErrorCode.AddressInUse);
          assert.match(
            err.message,
            new RegExp(`JSON-RPC cannot listen on 127\\.0\\.0\\.1:${port}: the port is in use`),
          );
          return true;
        },
      );
    } finally {
      await new Promise((resolve) => first.close(resolve));
    }
  });
});
