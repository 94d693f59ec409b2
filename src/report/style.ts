/** The page's own stylesheet: readable on screen, A4 when printed, one item per page. */
export const STYLE = `
:root { --ink: #1d2330; --muted: #5b6475; --rule: #d9dde5; --ok: #1c7c3c; --bad: #b3261e; --warn: #9a6700; --err: #6f2dbd; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 980px; padding: 24px 28px 64px; color: var(--ink); font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 20px; margin: 40px 0 8px; border-bottom: 2px solid var(--ink); padding-bottom: 4px; }
h3 { font-size: 18px; margin: 0 0 4px; }
h4, h5, h6 { font-size: 15px; margin: 18px 0 6px; }
code, pre { font: 12.5px/1.4 ui-monospace, "DejaVu Sans Mono", monospace; }
pre { background: #f5f6f8; padding: 8px 10px; overflow: auto; max-height: 16em; white-space: pre-wrap; word-break: break-all; }
a { color: inherit; }
.lead { color: var(--muted); margin: 0 0 16px; }
.status { font-size: 16px; padding: 10px 14px; border-left: 5px solid var(--ok); background: #eef7f0; }
.status.bad { border-color: var(--bad); background: #fbeeed; }
.status.err { border-color: var(--err); background: #f3eefb; }
.status.warn { border-color: var(--warn); background: #fbf5e6; }
.layout { display: block; }
nav.contents { font-size: 13px; border: 1px solid var(--rule); border-radius: 4px; padding: 8px 12px; margin-bottom: 16px; }
nav.contents ul { list-style: none; margin: 0; padding: 0; }
nav.contents ul ul { padding-left: 12px; margin-bottom: 4px; }
nav.contents li > a { display: block; text-decoration: none; padding: 1px 0; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
nav.contents li > a:hover { text-decoration: underline; }
nav.contents .filter { margin: 0 0 6px; display: flex; flex-wrap: wrap; gap: 2px 8px; align-items: center; }
.dot { display: inline-block; width: 9px; height: 9px; border-radius: 50%; margin-right: 6px; background: var(--muted); vertical-align: 0; }
body:has(#filter-attention:checked) .settled { display: none; }
@media (min-width: 1240px) {
  body { max-width: 1280px; }
  .layout { display: grid; grid-template-columns: 240px minmax(0, 1fr); gap: 28px; }
  nav.contents { position: sticky; top: 12px; max-height: calc(100vh - 24px); overflow-y: auto; margin: 0; }
}
details.item > summary { cursor: pointer; list-style-position: outside; }
details.item > summary h3 { display: inline; }
details.item:not([open]) { padding-bottom: 4px; }
.back { margin: 12px 0 0; font-size: 12px; }
.back a { color: var(--muted); }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--rule); vertical-align: top; }
th { font-size: 13px; color: var(--muted); font-weight: 600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.item { margin-top: 36px; padding-top: 16px; border-top: 1px solid var(--rule); }
h2 + .item { margin-top: 0; border-top: none; }
.meta, .caption { color: var(--muted); font-size: 13px; margin: 4px 0 10px; }
.statement { margin: 10px 0; padding: 6px 12px; background: #f7f8fb; border-radius: 4px; overflow-x: auto; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; margin: 8px 0; font-size: 14px; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; min-width: 0; }
.tag { display: inline-block; padding: 0 6px; border: 1px solid var(--rule); border-radius: 3px; font-size: 13px; }
.verdict { display: inline-block; padding: 0 7px; border-radius: 3px; font-size: 12px; font-weight: 600; text-transform: uppercase; letter-spacing: .03em; color: #fff; background: var(--muted); vertical-align: 2px; }
.v-holds, .v-valid, .v-proved, .v-certified { background: var(--ok); }
.v-measured { background: var(--muted); }
.v-sampled { background: #4f8a5b; }
.v-violated, .v-refuted { background: var(--bad); }
.v-inconclusive { background: var(--warn); }
.v-error, .v-vacuous { background: var(--err); }
.error { color: var(--err); margin: 6px 0; }
.how { color: var(--muted); font-size: 12px; }
.counterexample { margin: 10px 0; padding: 6px 12px; border-left: 4px solid var(--bad); background: #fdf5f4; }
.counterexample h4 { margin: 4px 0; }
.established { color: var(--ok); }
.not-established { color: var(--warn); }
.plots { display: grid; grid-template-columns: repeat(auto-fill, minmax(560px, 1fr)); gap: 12px 20px; }
figure.plot { margin: 0; }
figure.plot figcaption { font-size: 14px; }
figure.plot svg { max-width: 100%; height: auto; }
figure.plot .zoom, figure.plot .unzoom { float: right; font-size: 12px; color: var(--muted); }
figure.plot .unzoom { display: none; }
/* a closer look without script: the figure linked to fills the window */
figure.plot:target { position: fixed; inset: 3vh 3vw; z-index: 10; background: #fff; padding: 16px 24px; box-shadow: 0 0 0 100vmax rgba(0, 0, 0, .45); overflow: auto; }
figure.plot:target figure > svg { width: 100%; max-height: 80vh; }
figure.plot:target .zoom { display: none; }
figure.plot:target .unzoom { display: inline; }
.key { font-size: 12px; color: var(--muted); margin: 2px 0 0; }
.key span { display: inline-block; width: 22px; height: 0; vertical-align: middle; margin-left: 8px; }
.key .k-solid { border-top: 2px solid var(--ink); }
.key .k-dashed { border-top: 2px dashed var(--ink); }
.key .k-floor { height: 10px; background: rgba(119, 119, 119, .3); }
.key .k-band { height: 10px; background: rgba(31, 78, 140, .25); }
.prose { margin-top: 8px; }
table.chain { margin: 10px 0 16px; }
table.chain caption { caption-side: top; text-align: left; font-size: 12px; color: var(--muted); }
table.chain td.rel { width: 2em; text-align: right; }
table.chain td.expr { max-width: 460px; overflow-x: auto; }
table.chain td.step-verdict { white-space: nowrap; font-size: 12px; width: 7.5em; }
table.chain td.why { font-size: 13px; color: var(--muted); width: 32%; }
table.chain tr.detail td { border-bottom: none; padding-top: 0; }
.katex { font-size: 1.08em; }
.katex-display { margin: .4em 0; overflow-x: auto; overflow-y: hidden; }
@page { size: A4; margin: 14mm 12mm 16mm; @bottom-right { content: "page " counter(page) " of " counter(pages); font: 9pt system-ui, sans-serif; color: #5b6475; } }
@media print {
  body { max-width: none; padding: 0; font-size: 11pt; }
  .layout { display: block; }
  nav.contents, .back, .filter { display: none; }
  /* a handout: an item that needs attention (or that the reader opened) prints whole; one that
     settled prints what it claims and how it was checked, its plots and tables left to the page */
  details.item::details-content { content-visibility: visible; display: contents; }
  details.item > summary { list-style: none; }
  details.item.settled:not([open]) :is(.plots, .prose, table.chain, table.summary, .caption, .key, h4, h5, figure) { display: none; }
  /* the first page holds the title, the status and the summary; theorems and proofs start pages, items flow */
  h2 { margin-top: 24px; }
  h2#theorems, h2#proofs, h2#experiments, h2#laws { break-before: page; margin-top: 0; }
  h2, h3, summary { break-after: avoid; }
  table.chain tr, figure.plot, .counterexample, .statement, dl.facts { break-inside: avoid; }
  pre { max-height: none; overflow: visible; }
  /* the summary is the first pages' table: compact, so that it and its note end together */
  table.summary { font-size: 9.5pt; }
  table.summary td, table.summary th { padding-top: 2px; padding-bottom: 2px; }
  table.summary + .caption { break-before: avoid; }
  /* a generated proof file is pages of multipliers: the page says how to get it, the file is the place to read it */
  details.pep-proof pre { display: none; }
  details.pep-proof::after { content: "(the proof file is left out of the print: boundlab pep gd --steps 2 --proof FILE.md writes it)"; font-size: 10pt; color: var(--muted); }
  .plots { grid-template-columns: 1fr; }
  /* τ against the bound: two curves each, readable at half the page's width */
  .plots.pep-sweeps { grid-template-columns: 1fr 1fr; }
  figure.plot .zoom, figure.plot .unzoom { display: none; }
  a { text-decoration: none; }
}
`;
