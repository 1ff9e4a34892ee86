/**
 * The page's only stylesheet, inlined (no external assets). A constant written here, never data,
 * so the layout may emit it unescaped.
 */
export const STYLES = `
:root { color-scheme: light dark; --fg: #1b1f24; --muted: #5b6470; --line: #d6dbe1; --bg: #fff;
  --ok: #1a7f37; --bad: #cf222e; --warn: #9a6700; --run: #0969da; --accent: #0969da; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6edf3; --muted: #9aa5b1; --line: #30363d;
  --bg: #0d1117; --ok: #3fb950; --bad: #f85149; --warn: #d29922; --run: #58a6ff; --accent: #58a6ff; } }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.5 system-ui, sans-serif; color: var(--fg); background: var(--bg); }
header.top { display: flex; gap: 1rem; align-items: center; padding: .6rem 1.5rem;
  border-bottom: 1px solid var(--line); }
header.top .brand { font-weight: 700; color: var(--fg); text-decoration: none; }
header.top .who { margin-left: auto; color: var(--muted); }
main { padding: 1rem 1.5rem 3rem; max-width: 110rem; }
a { color: var(--accent); }
h1 { font-size: 1.4rem; margin: .5rem 0 1rem; overflow-wrap: anywhere; }
h2 { font-size: 1.1rem; margin: 1.8rem 0 .6rem; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .35rem .6rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { color: var(--muted); font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
code, pre { font: 12px/1.4 ui-monospace, monospace; }
pre { white-space: pre-wrap; word-break: break-all; padding: .6rem; border: 1px solid var(--line); }
.muted { color: var(--muted); }
.status { font-weight: 600; font-size: 12px; padding: .1rem .45rem; border-radius: .8rem;
  border: 1px solid currentColor; white-space: nowrap; }
.s-SUCCEEDED { color: var(--ok); } .s-RUNNING, .s-PENDING { color: var(--run); }
.s-REJECTED, .s-ROLLED_BACK { color: var(--warn); } .s-FAILED, .s-ROLLBACK_FAILED { color: var(--bad); }
.reason { border-left: 4px solid var(--warn); padding: .5rem .8rem; margin: 1rem 0; }
.reason.critical { border-color: var(--bad); }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; margin: 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; }
ol.timeline { list-style: none; padding: 0; margin: 0; }
ol.timeline li { display: grid; grid-template-columns: 9rem 6rem 1fr; gap: .6rem;
  padding: .3rem 0; border-bottom: 1px solid var(--line); }
ol.timeline li.o-failed > span:first-of-type { color: var(--bad); font-weight: 600; }
.bar { height: .6rem; background: var(--line); margin-top: .45rem; }
.bar span { display: block; height: 100%; background: var(--run); }
.o-succeeded .bar span { background: var(--ok); } .o-failed .bar span { background: var(--bad); }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 26rem), 1fr));
  gap: 1.5rem; }
.charts figure { margin: 0; min-width: 0; }
svg.chart { display: block; width: 100%; height: auto; }
/* viewBox units: 17 of 560 is about 11 px on a 400 px screen, 18 px on half of 1280. */
svg.chart text { fill: var(--muted); font-size: 17px; }
svg.chart .axis { stroke: var(--line); }
svg.chart .line { fill: none; stroke: var(--accent); stroke-width: 2.5; }
svg.chart .point { fill: var(--accent); }
svg.chart .point.bad { fill: var(--warn); }
form.login { display: grid; gap: .6rem; max-width: 26rem; }
input[type=password] { font: inherit; padding: .4rem; }
button { font: inherit; padding: .35rem .9rem; cursor: pointer; }
form.inline { display: inline; margin: 0; }
button.danger { border: 1px solid var(--bad); color: var(--bad); background: transparent; }
.actions { display: flex; flex-wrap: wrap; gap: .6rem; margin: .8rem 0; }
.error { color: var(--bad); }
.flash { padding: .5rem .8rem; margin: 0 0 1rem; border-left: 4px solid var(--ok); }
.flash.error { border-color: var(--bad); }
.mark { font-weight: 700; font-size: 12px; padding: .1rem .45rem; border-radius: .8rem;
  white-space: nowrap; color: var(--bg); background: var(--ok); }
.mark.new { background: var(--run); }
.collected { color: var(--warn); font-size: 12px; }
td.reasons { min-width: 11rem; max-width: 16rem; overflow-wrap: anywhere; }
table.cards { font-size: 13px; }
table.cards td.when { white-space: nowrap; }
table.cards td.when, table.cards td.num { white-space: nowrap; }
table.cards .who { color: var(--muted); font-size: 12px; overflow-wrap: anywhere; }
table.cards td.trigger { min-width: 10.5rem; }
table.cards th, table.cards td { padding: .35rem .45rem; }
button.small { font-size: 12px; padding: .2rem .5rem; min-width: 7.5rem; }
.wide { overflow-x: auto; }
@media (max-width: 40rem) { main { padding: .8rem .8rem 2rem; } header.top { flex-wrap: wrap;
  padding: .5rem .8rem; } header.top .who { margin-left: 0; }
  ol.timeline li { grid-template-columns: 1fr 1fr; } ol.timeline li > span:last-child { grid-column: 1 / -1; }
  /* A phone: each history row becomes a card of labelled lines instead of a table to scroll. */
  table.cards thead { display: none; }
  table.cards tr { display: block; padding: .5rem 0; border-bottom: 1px solid var(--line); }
  table.cards td { display: block; position: relative; border: 0; padding: .1rem 0 .1rem 8rem;
    text-align: left; max-width: none; white-space: normal; }
  table.cards td:empty { display: none; }
  table.cards td::before { content: attr(data-label); color: var(--muted); position: absolute;
    left: 0; width: 7.5rem; } }
`;
