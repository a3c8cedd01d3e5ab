import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { deadline } from "../../src/util/deadline.js";

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("deadline", () => {
  it("aborts after its time, saying so", async () => {
    const d = deadline(20);
    assert.equal(d.signal.aborted, false);
    await tick(40);
    assert.equal(d.signal.aborted, true);
    assert.equal(d.timedOut(), true);
  });

  it("aborts with a parent, which is not a timeout, and starts aborted under an aborted parent", async () => {
    const parent = new AbortController();
    const d = deadline(10_000, undefined, parent.signal);
    parent.abort(new Error("stop"));
    assert.equal(d.signal.aborted, true);
    assert.equal(d.timedOut(), false);
    assert.equal((d.signal.reason as Error).message, "stop");
    d.clear();
    const late = deadline(10_000, parent.signal);
    assert.equal(late.signal.aborted, true);
    late.clear();
  });

  it("never fires once cleared", async () => {
    const d = deadline(10);
    d.clear();
    await tick(30);
    assert.equal(d.signal.aborted, false);
  });
});
