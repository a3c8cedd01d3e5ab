import type { Metric } from "prom-client";

export type Labels = Record<string, string | number>;

/** Each labelled value of a metric (prom-client reads them asynchronously). */
export async function metricValues(metric: Metric): Promise<{ labels: Labels; value: number }[]> {
  const { values } = await metric.get();
  return values.map((v) => ({ labels: v.labels as Labels, value: v.value }));
}

/** The sum of a counter's or gauge's values whose labels include `match`. */
export async function metricTotal(metric: Metric, match: Labels = {}): Promise<number> {
  let total = 0;
  for (const { labels, value } of await metricValues(metric)) {
    if (Object.entries(match).every(([k, v]) => labels[k] === v)) total += value;
  }
  return total;
}
