import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Backoff } from "../../src/network/backoff.js";
import { RECONNECT_INITIAL_DELAY_MS, RECONNECT_MAX_DELAY_MS } from "../../src/network/constants.js";
import { QueueBudget } from "../../src/network/queueBudget.js";
import { PeerRateLimiter } from "../../src/network/rateLimiter.js";

describe("PeerRateLimiter", () => {
  it("passes a burst, then the sustained rate, on both messages and bytes", () => {
    let now = 0;
    const limiter = new PeerRateLimiter({ messagesPerSecond: 10, bytesPerSecond: 1_000 }, 100, () => now);
    let passed = 0;
    for (let i = 0; i < 50; i++) if (limiter.tryTake(10)) passed++;
    assert.equal(passed, 10);
    now = 500;
    passed = 0;
    for (let i = 0; i < 50; i++) if (limiter.tryTake(10)) passed++;
    assert.equal(passed, 5);
    now = 10_000;
    assert.ok(limiter.tryTake(1_000));
    assert.ok(!limiter.tryTake(1), "bytes exhausted");
  });

  it("lets one message as large as the biggest protocol allows through", () => {
    const limiter = new PeerRateLimiter({ messagesPerSecond: 10, bytesPerSecond: 100 }, 5_000, () => 0);
    assert.ok(limiter.tryTake(5_000));
  });
});

describe("Backoff", () => {
  it("grows exponentially up to the cap, with jitter, and resets", () => {
    const backoff = new Backoff(() => 0);
    const delays = Array.from({ length: 12 }, () => backoff.nextDelay());
    assert.equal(delays[0], RECONNECT_INITIAL_DELAY_MS);
    assert.equal(delays[1], 2 * RECONNECT_INITIAL_DELAY_MS);
    assert.equal(delays.at(-1), RECONNECT_MAX_DELAY_MS);
    backoff.reset();
    assert.equal(backoff.nextDelay(), RECONNECT_INITIAL_DELAY_MS);
    const jittered = new Backoff(() => 1).nextDelay();
    assert.ok(jittered < RECONNECT_INITIAL_DELAY_MS && jittered > 0);
  });
});

describe("QueueBudget", () => {
  it("refuses what exceeds either bound", () => {
    const budget = new QueueBudget({ maxBytes: 100, maxMessages: 3 });
    assert.ok(budget.tryReserve(60));
    assert.ok(!budget.tryReserve(41));
    assert.ok(budget.tryReserve(20));
    assert.ok(budget.tryReserve(20));
    assert.ok(!budget.tryReserve(0));
    budget.release(80, 2);
    assert.ok(budget.tryReserve(80));
  });
});
