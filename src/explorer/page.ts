// The explorer's HTML and CSS, as string constants: tsc ships them in dist with the page's modules
// (compiled from ./web), so the build needs no copy step.

export const EXPLORER_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>MASS L1 explorer</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="style.css">
<script type="module" src="app.js"></script>
</head>
<body>
<div id="app"><p class="note">Loading the explorer…</p></div>
<noscript>The explorer needs JavaScript: it reads the node over JSON-RPC.</noscript>
</body>
</html>
`;

export const EXPLORER_CSS = `:root {
  --bg: #f5f7fa; --card: #fff; --ink: #1d2733; --muted: #66727f; --line: #e1e6ec; --accent: #2557a7;
  --good: #1f8a4c; --bad: #c0392b; --warn: #b7791f; --info: #2557a7;
  --c0: #2f7fd1; --c1: #16a3a3; --gold: #e0a100;
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--ink); }
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
header { display: flex; flex-wrap: wrap; align-items: center; gap: 12px 20px; padding: 10px 20px;
  background: #14213d; color: #fff; }
header .brand { color: #fff; font-weight: 700; font-size: 17px; }
header .brand span { color: #9fb4d8; font-weight: 500; }
header .chain { color: #9fb4d8; font-size: 12px; }
header nav { display: flex; gap: 4px; }
header nav a { color: #dbe4f3; padding: 5px 10px; border-radius: 6px; }
header nav a.active, header nav a:hover { background: #2b3d63; color: #fff; text-decoration: none; }
form.search { display: flex; gap: 6px; align-items: center; margin-left: auto; flex: 1 1 380px; max-width: 620px; }
form.search input { flex: 1; padding: 6px 10px; border-radius: 6px; border: 1px solid #3a4d75; background: #0f1a30;
  color: #fff; font: inherit; }
form.search button, .pager button { padding: 6px 12px; border-radius: 6px; border: 0; background: var(--accent); color: #fff;
  font: inherit; cursor: pointer; }
.search-error { color: #ffb4a8; font-size: 12px; }
main { padding: 16px 20px 40px; max-width: 1280px; margin: 0 auto; }
h1 { font-size: 22px; margin: 6px 0 14px; display: flex; align-items: center; gap: 10px; flex-wrap: wrap; }
h2 { font-size: 15px; margin: 0 0 10px; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 14px 16px; margin-bottom: 16px; }
.stats { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 12px; margin-bottom: 16px; }
.stat { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 10px 14px; }
.stat .label { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
.stat .value { font-size: 22px; font-weight: 600; margin-top: 2px; }
table { border-collapse: collapse; width: 100%; }
table.list th, table.list td { text-align: left; padding: 6px 10px; border-bottom: 1px solid var(--line); white-space: nowrap; }
table.list th { color: var(--muted); font-weight: 600; font-size: 12px; text-transform: uppercase; letter-spacing: .03em; }
table.list tbody tr:hover { background: #f0f4fa; }
table.kv th { text-align: left; color: var(--muted); font-weight: 500; padding: 5px 16px 5px 0; vertical-align: top;
  white-space: nowrap; width: 1%; }
table.kv td { padding: 5px 0; }
.mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; }
.wrap { word-break: break-all; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 999px; font-size: 12px; font-weight: 600; white-space: nowrap; }
.badge.good { background: #e1f4e8; color: var(--good); }
.badge.bad { background: #fbe5e2; color: var(--bad); }
.badge.warn { background: #fcf1dc; color: var(--warn); }
.badge.info { background: #e3ecfa; color: var(--info); }
.badge.muted { background: #eef1f4; color: var(--muted); }
.reason { color: var(--bad); font-weight: 600; }
.note { color: var(--muted); margin: 6px 0; }
.error { background: #fbe5e2; color: var(--bad); border-radius: 8px; padding: 10px 14px; margin: 8px 0; }
.banner { background: #fcf1dc; color: var(--warn); padding: 6px 20px; }
.banner[hidden] { display: none; }
.pager { display: flex; gap: 10px; align-items: center; }
details { margin-top: 8px; }
pre { background: #0f1a30; color: #dbe4f3; padding: 12px; border-radius: 8px; overflow: auto; font-size: 12px; }
.scroll { overflow-x: auto; }
.controls { display: flex; gap: 14px; align-items: center; margin-bottom: 6px; }
.legend { display: flex; flex-wrap: wrap; gap: 6px 16px; margin: 10px 0; color: var(--muted); font-size: 12px; }
.legend-item { display: inline-flex; align-items: center; gap: 5px; }
svg.dag { background: #fbfcfe; border: 1px solid var(--line); border-radius: 8px; width: 100%; height: auto; }
svg text { font-size: 11px; fill: var(--muted); }
svg .round-label { font-weight: 600; }
svg .author-label { font-size: 12px; fill: var(--ink); }
svg .leader-band { fill: #f3f0e2; }
svg .author-line { stroke: #eef1f5; }
svg .edge { stroke: #b7c2cf; stroke-width: 1.2; }
svg .edge.dim { stroke: #dfe4ea; }
svg .edge.hl { stroke: #e0a100; stroke-width: 2; }
svg .node { cursor: pointer; }
svg .cert { stroke-width: 2; }
svg .cert.committed.c0 { fill: #d6e6f9; stroke: var(--c0); }
svg .cert.committed.c1 { fill: #d3f0ef; stroke: var(--c1); }
svg .cert.committed { fill: #d6e6f9; stroke: var(--c0); }
svg .cert.uncommitted { fill: #fff; stroke: #98a2ae; stroke-dasharray: 3 2; }
svg .cert.leader { stroke-width: 3; }
svg .cert.committed.hl { stroke: #b07d00; stroke-width: 3; }
svg .cert.dim { opacity: .45; }
svg .cert.committed.anchor { fill: var(--gold); stroke: #8a6200; stroke-width: 3; }
svg .cert.committed.anchor.dim { opacity: .75; }
svg.tensor .domain-label { font-size: 11px; fill: var(--ink); }
svg.tensor .subject-label { font-family: ui-monospace, Menlo, monospace; font-size: 11px; fill: var(--accent); }
svg .cell { stroke: #fff; stroke-width: 1; }
svg .cell.empty { stroke: #dfe4ea; }
svg .expired-mark { stroke: #fff; stroke-width: 2.2; stroke-linecap: round; fill: none; pointer-events: none; }
`;
