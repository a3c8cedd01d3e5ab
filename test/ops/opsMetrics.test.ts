import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { Registry } from "prom-client";
import { METRICS_PORT_OFFSET } from "../../src/cli/home.js";
import { createMetrics } from "../../src/metrics/index.js";
import { buildInfo } from "../../src/node/buildInfo.js";
import { DEFAULT_BASE_PORT, DEFAULT_DEVNET_VALIDATORS } from "../../src/node/devnetHome.js";
import { parseYamlSubset, type YamlValue } from "./yamlSubset.js";

const opsFile = (path: string) =>
  readFileSync(fileURLToPath(new URL(`../../../ops/${path}`, import.meta.url)), "utf8");

/** The alert groups alerts.yml must hold (README: "Running a validator"). */
const EXPECTED_GROUPS = ["mass-l1-liveness", "mass-l1-safety", "mass-l1-sync", "mass-l1-process"];
/** Alerts the issue asks for, by what they watch. */
const EXPECTED_ALERTS = [
  "MassHeightNotAdvancing",
  "MassFinalityLagHigh",
  "MassPeersBelowQuorum",
  "MassValidatorDiverged",
  "MassValidatorDisagreement",
  "MassSyncingTooLong",
];
/** Metric prefixes the files may reference; `up` is Prometheus's own and not in the registry. */
const PREFIXES = ["mass_", "process_", "nodejs_"];
/** Labels Prometheus adds to every scraped series (the scrape job, target and static labels). */
const TARGET_LABELS = new Set(["job", "instance", "network"]);

interface SeriesInfo {
  /** The registered metric a series name belongs to. */
  metric: string;
  labels: ReadonlySet<string>;
}

/** Every series name the validator's registry exposes (histograms: _bucket, _sum, _count), with its labels. */
async function seriesOfRegistry(): Promise<Map<string, SeriesInfo>> {
  const registry = new Registry();
  createMetrics(registry, buildInfo());
  const series = new Map<string, SeriesInfo>();
  for (const m of await registry.getMetricsAsJSON()) {
    const declared = (registry.getSingleMetric(m.name) as unknown as { labelNames?: string[] }).labelNames;
    const labels = new Set([...(declared ?? []), ...m.values.flatMap((v) => Object.keys(v.labels))]);
    const type = String(m.type);
    if (type === "histogram") {
      series.set(`${m.name}_bucket`, { metric: m.name, labels: new Set([...labels, "le"]) });
      series.set(`${m.name}_sum`, { metric: m.name, labels });
      series.set(`${m.name}_count`, { metric: m.name, labels });
    } else if (type === "summary") {
      series.set(m.name, { metric: m.name, labels: new Set([...labels, "quantile"]) });
      series.set(`${m.name}_sum`, { metric: m.name, labels });
      series.set(`${m.name}_count`, { metric: m.name, labels });
    } else {
      series.set(m.name, { metric: m.name, labels });
    }
  }
  return series;
}

/** PromQL without its string literals: a label value never counts as a metric name. */
const withoutStrings = (expr: string) => expr.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""');

/** The metric names an expression references, and the label names it matches on each. */
function referencedMetrics(expr: string): { name: string; labels: string[] }[] {
  const text = withoutStrings(expr);
  const out: { name: string; labels: string[] }[] = [];
  for (const m of text.matchAll(/(?<![A-Za-z0-9_:])([A-Za-z_:][A-Za-z0-9_:]*)(\{[^}]*\})?/g)) {
    const name = m[1]!;
    if (!PREFIXES.some((p) => name.startsWith(p))) continue;
    const labels = [...(m[2] ?? "").matchAll(/([A-Za-z_][A-Za-z0-9_]*)\s*(?:=~|!~|!=|=)/g)].map((l) => l[1]!);
    out.push({ name, labels });
  }
  return out;
}

interface Panel {
  id?: number;
  title?: string;
  targets?: { expr?: string }[];
  panels?: Panel[];
}

/** Every PromQL expression of the dashboard: its panels' targets (rows' too) and its variables' queries. */
function dashboardExpressions(dashboard: {
  panels: Panel[];
  templating: { list: { name: string; query?: string | { query?: string } }[] };
}): { where: string; expr: string }[] {
  const out: { where: string; expr: string }[] = [];
  const visit = (panels: Panel[]) => {
    for (const p of panels) {
      for (const t of p.targets ?? [])
        if (t.expr !== undefined) out.push({ where: `panel "${p.title}"`, expr: t.expr });
      visit(p.panels ?? []);
    }
  };
  visit(dashboard.panels);
  for (const v of dashboard.templating.list) {
    const query = typeof v.query === "string" ? v.query : v.query?.query;
    if (query !== undefined && /label_values|query_result|metrics\(/.test(query))
      out.push({ where: `variable ${v.name}`, expr: query });
  }
  return out;
}

const asMap = (v: YamlValue | undefined, what: string): Record<string, YamlValue> => {
  assert.ok(v !== undefined && typeof v === "object" && !Array.isArray(v), `${what} is a mapping`);
  return v;
};
const asList = (v: YamlValue | undefined, what: string): YamlValue[] => {
  assert.ok(Array.isArray(v), `${what} is a list`);
  return v;
};
const asString = (v: YamlValue | undefined, what: string): string => {
  assert.equal(typeof v, "string", `${what} is a string`);
  return v as string;
};

interface Rule {
  group: string;
  alert: string;
  expr: string;
}

function alertRules(): Rule[] {
  const root = asMap(parseYamlSubset(opsFile("prometheus/alerts.yml")), "alerts.yml");
  const groups = asList(root.groups, "groups");
  assert.deepEqual(
    groups.map((g) => asString(asMap(g, "a group").name, "a group's name")),
    EXPECTED_GROUPS,
    "the rule groups",
  );
  return groups.flatMap((g) => {
    const group = asMap(g, "a group");
    const name = group.name as string;
    return asList(group.rules, `group ${name}'s rules`).map((r) => {
      const rule = asMap(r, `a rule of ${name}`);
      const alert = asString(rule.alert, `a rule of ${name}: alert`);
      const labels = asMap(rule.labels, `${alert}: labels`);
      assert.match(asString(labels.severity, `${alert}: severity`), /^(critical|warning)$/);
      const annotations = asMap(rule.annotations, `${alert}: annotations`);
      asString(annotations.summary, `${alert}: summary`);
      asString(annotations.description, `${alert}: description`);
      if (rule.for !== undefined) assert.match(asString(rule.for, `${alert}: for`), /^\d+[smh]$/);
      return { group: name, alert, expr: asString(rule.expr, `${alert}: expr`) };
    });
  });
}

function checkExpressions(
  series: Map<string, SeriesInfo>,
  expressions: { where: string; expr: string }[],
): string[] {
  const problems: string[] = [];
  for (const { where, expr } of expressions) {
    const refs = referencedMetrics(expr);
    if (refs.length === 0 && !/\bup\b/.test(withoutStrings(expr)))
      problems.push(`${where}: references no metric: ${expr}`);
    for (const { name, labels } of refs) {
      const info = series.get(name);
      if (info === undefined) {
        problems.push(`${where}: ${name} is not a metric of the validator's registry`);
        continue;
      }
      for (const label of labels)
        if (!info.labels.has(label) && !TARGET_LABELS.has(label))
          problems.push(`${where}: ${name} has no label "${label}"`);
    }
  }
  return problems;
}

describe("the operator's kit (ops/)", () => {
  it("the registry exposes process_*, nodejs_* and mass_build_info{version,commit} = 1", async () => {
    const registry = new Registry();
    createMetrics(registry, { version: "1.2.3", commit: "abc" });
    const text = await registry.metrics();
    assert.match(text, /^process_cpu_seconds_total /m);
    assert.match(text, /^nodejs_eventloop_lag_p99_seconds /m);
    assert.match(text, /^mass_build_info\{version="1\.2\.3",commit="abc"\} 1$/m);
  });

  it("every metric the Grafana dashboard references exists in the validator's registry, with its labels", async () => {
    const series = await seriesOfRegistry();
    const dashboard = JSON.parse(opsFile("grafana/mass-l1.json"));
    const expressions = dashboardExpressions(dashboard);
    assert.ok(expressions.length >= 40, `the dashboard has its panels (${expressions.length} queries)`);
    assert.deepEqual(checkExpressions(series, expressions), []);
    const ids = dashboard.panels.map((p: Panel) => p.id);
    assert.equal(new Set(ids).size, ids.length, "panel ids are unique");
    const referenced = new Set(expressions.flatMap((e) => referencedMetrics(e.expr).map((r) => r.name)));
    for (const wanted of [
      "mass_consensus_committed_leaders_total",
      "mass_chain_blocks_total",
      "mass_chain_finalized_height",
      "mass_txpool_size",
      "mass_network_peers_connected",
      "mass_rpc_latency_seconds_bucket",
      "mass_blocksync_height",
      "mass_corridor_receipts_total",
      "mass_corridor_value_in_flight",
    ])
      assert.ok(referenced.has(wanted), `the dashboard charts ${wanted}`);
  });

  it("alerts.yml parses into the expected groups and alerts, each referencing registry metrics", async () => {
    const series = await seriesOfRegistry();
    const rules = alertRules();
    const names = rules.map((r) => r.alert);
    assert.equal(new Set(names).size, names.length, "alert names are unique");
    for (const wanted of EXPECTED_ALERTS) assert.ok(names.includes(wanted), `alerts.yml has ${wanted}`);
    assert.deepEqual(
      checkExpressions(
        series,
        rules.map((r) => ({ where: `alert ${r.alert}`, expr: r.expr })),
      ),
      [],
    );
  });

  it("prometheus.yml scrapes the devnet's validators on base port + 2000 + i and loads the rules", () => {
    const root = asMap(parseYamlSubset(opsFile("prometheus/prometheus.yml")), "prometheus.yml");
    assert.deepEqual(root.rule_files, ["alerts.yml"]);
    const [job] = asList(root.scrape_configs, "scrape_configs").map((j) => asMap(j, "a scrape job"));
    assert.ok(job !== undefined);
    const [statics] = asList(job.static_configs, "static_configs").map((s) => asMap(s, "a static config"));
    const targets = asList(statics?.targets, "targets");
    assert.deepEqual(
      targets,
      Array.from(
        { length: DEFAULT_DEVNET_VALIDATORS },
        (_, i) => `127.0.0.1:${DEFAULT_BASE_PORT + METRICS_PORT_OFFSET + i}`,
      ),
    );
    // MassValidatorDown watches this job's `up`.
    const down = alertRules().find((r) => r.alert === "MassValidatorDown");
    assert.ok(down?.expr.includes(`job="${job.job_name}"`), "MassValidatorDown watches the scrape job");
  });

  it("the YAML subset parser reads what ops/ uses and refuses what it does not know", () => {
    assert.deepEqual(
      parseYamlSubset(
        [
          "# comment",
          "a: plain # trailing",
          "b: 'it''s {x=\"1\"}'",
          'c: "q \\"d\\""',
          "d:",
          "  - 1m",
          "  - k: v",
          "    l:",
          "      - x",
          "e: |",
          "  line 1",
          "    line 2",
          "f:",
          "- same-indent item",
        ].join("\n"),
      ),
      {
        a: "plain",
        b: 'it\'s {x="1"}',
        c: 'q "d"',
        d: ["1m", { k: "v", l: ["x"] }],
        e: "line 1\n  line 2\n",
        f: ["same-indent item"],
      },
    );
    assert.throws(() => parseYamlSubset("a: [1, 2]"), /unsupported YAML/);
    assert.throws(() => parseYamlSubset("a: &anchor x"), /unsupported YAML/);
    assert.throws(() => parseYamlSubset("a: 1\na: 2"), /duplicate key/);
    assert.throws(() => parseYamlSubset("a:\n\tb: 1"), /tabs/);
  });
});
