/** Latency buckets (seconds) from 5 ms to 10 s: consensus targets < 2 s, RPC answers in ms. */
export const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10];
