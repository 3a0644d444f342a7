/**
 * The report's stylesheet, inlined into every page (its hash is in the Content-Security-Policy).
 * Colours pass WCAG 2.1 AA on their backgrounds: text at least 4.5:1, marks and bars at least 3:1
 * (test/unit/html-report.test.ts measures each pair); a verdict never rests on colour alone, its
 * sign and word are always beside it.
 */
export const REPORT_STYLE = `
:root{--text:#1b1b1f;--muted:#474c55;--line:#8a8f98;--bg:#ffffff;--panel:#f6f7f9;--link:#0b57d0;--focus:#0b57d0;
--pass:#17652e;--pass-bg:#e7f4ea;--pass-mark:#2e7d32;--warn:#7a4700;--warn-bg:#fff2d6;--warn-mark:#a86400;
--fail:#a4161a;--fail-bg:#fde8e8;--fail-mark:#c62828;--unknown:#5b2c8f;--unknown-bg:#f1e9fb;--unknown-mark:#7b42b8;
--info:#1b4f7a;--info-bg:#e6f0f8;--null:#37474f;--null-bg:#eceff1;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--text);background:var(--bg)}
body{margin:0;line-height:1.45;overflow-anchor:none}
header.page,main,footer.page{max-width:82rem;margin:0 auto;padding:0 1rem}
header.page h1{font-size:1.5rem;margin:1rem 0 .25rem}
header.page p,footer.page p{color:var(--muted);margin:.25rem 0 1rem}
main{display:flex;flex-direction:column;gap:1.5rem}
#summary{order:-2}#domains{order:-1}
a{color:var(--link)}
:focus-visible{outline:3px solid var(--focus);outline-offset:2px}
code,pre,.drawing text{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.badge{display:inline-block;padding:0 .5em;border:1px solid;border-radius:1em;font-weight:600;font-size:.9em;white-space:nowrap}
.badge-detail{color:var(--muted);font-weight:normal;font-size:.9em}
.mark-pass.badge,.verdict.mark-pass .badge{color:var(--pass);background:var(--pass-bg);border-color:var(--pass-mark)}
.mark-warn.badge,.verdict.mark-warn .badge{color:var(--warn);background:var(--warn-bg);border-color:var(--warn-mark)}
.mark-fail.badge,.verdict.mark-fail .badge{color:var(--fail);background:var(--fail-bg);border-color:var(--fail-mark)}
.mark-unknown.badge,.verdict.mark-unknown .badge{color:var(--unknown);background:var(--unknown-bg);border-color:var(--unknown-mark)}
.domain{border:1px solid var(--line);border-radius:.5rem;padding:1rem;margin:0 0 1.5rem}
.domain-head h2{margin:0;font-size:1.35rem;overflow-wrap:anywhere}
.domain-head .verdict{font-size:1.15rem;margin:.4rem 0}
.meta{color:var(--muted);margin:.25rem 0 0}
.mail-path{margin:1rem 0}
.mail-path figcaption{font-weight:600;margin-bottom:.25rem}
.drawing{overflow-x:auto}
.drawing svg{display:block}
.node rect{fill:var(--bg);stroke:var(--line);stroke-width:1.5}
.node-text{font-size:13px;fill:var(--text)}
.node-caption{font-size:11px;fill:var(--muted)}
.node.mark-pass rect{fill:var(--pass-bg);stroke:var(--pass-mark)}.node.mark-pass .node-mark{fill:var(--pass)}
.node.mark-warn rect{fill:var(--warn-bg);stroke:var(--warn-mark)}.node.mark-warn .node-mark{fill:var(--warn)}
.node.mark-fail rect{fill:var(--fail-bg);stroke:var(--fail-mark);stroke-width:2.5}.node.mark-fail .node-mark{fill:var(--fail)}
.node.mark-unknown rect{fill:var(--unknown-bg);stroke:var(--unknown-mark);stroke-dasharray:2 3}.node.mark-unknown .node-mark{fill:var(--unknown)}
.node.mark-null rect{fill:var(--null-bg);stroke:var(--null);stroke-dasharray:6 4}
.node.mark-null .node-mark{fill:var(--null)}
.node[data-kind=alias] rect{stroke-dasharray:8 3;stroke-width:2}
.edge{fill:none;stroke:var(--line);stroke-width:1.5}
.edge.mark-fail{stroke:var(--fail-mark);stroke-dasharray:5 4}.edge.mark-unknown{stroke:var(--unknown-mark);stroke-dasharray:2 3}.edge.mark-null{stroke-dasharray:6 4}
.panels{display:grid;grid-template-columns:repeat(auto-fill,minmax(24rem,1fr));gap:1rem;align-items:start}
.panel{background:var(--panel);border:1px solid var(--line);border-radius:.5rem;padding:.75rem 1rem;min-width:0}
.panel h3{margin:0 0 .5rem;font-size:1.05rem}
.lines,.findings{list-style:none;margin:0;padding:0}
.lines li{margin:.2rem 0;overflow-wrap:anywhere}
.line-label{font-weight:600}
.note{color:var(--muted)}
.finding{border-top:1px solid var(--line);padding:.5rem 0;overflow-wrap:anywhere}
.finding p{margin:.2rem 0}
.severity{font-weight:700;white-space:nowrap}
.sev-error .severity{color:var(--fail)}.sev-unknown .severity{color:var(--unknown)}.sev-warning .severity{color:var(--warn)}.sev-info .severity{color:var(--info)}
.rule{font-weight:600}
.target,.standing{color:var(--muted)}
.source{background:var(--bg);border:1px solid var(--line);padding:.25rem .5rem;overflow-x:auto;margin:.25rem 0}
.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(30rem,1fr));gap:1rem;align-items:start}
.chart{margin:0;background:var(--panel);border:1px solid var(--line);border-radius:.5rem;padding:.75rem 1rem;min-width:0}
.chart figcaption{font-weight:600;margin-bottom:.5rem}
.chart .chart-note{color:var(--muted);font-weight:normal;font-size:.9em}
.chart svg{display:block;max-width:100%;height:auto}
.chart text{font-size:12px;fill:var(--text)}
.bar-value{fill:var(--muted)}
.bar.mark-pass{fill:var(--pass-mark)}.bar.mark-warn{fill:var(--warn-mark)}.bar.mark-fail{fill:var(--fail-mark)}.bar.mark-unknown{fill:var(--unknown-mark)}.bar.mark-info{fill:var(--info)}.bar.mark-none{fill:var(--line)}
.filters{display:flex;flex-wrap:wrap;gap:.75rem 1.5rem;align-items:end;margin:.5rem 0}
.filters label,.filters legend{display:block;font-weight:600;font-size:.9em}
.filters fieldset{border:0;margin:0;padding:0}
.filters fieldset label{display:inline-block;font-weight:normal;margin-right:.75rem}
.filters input[type=search],.filters select{font:inherit;padding:.25rem .4rem;border:1px solid var(--line);border-radius:.25rem;min-width:14rem;color:var(--text);background:var(--bg)}
.table-status{color:var(--muted);margin:.25rem 0}
.table-scroll{max-height:70vh;overflow:auto;border:1px solid var(--line);border-radius:.5rem}
table.domains{border-collapse:collapse;width:100%;font-size:.95em}
table.domains th,table.domains td{padding:0 .6rem;height:2.2rem;text-align:left;white-space:nowrap;border-bottom:1px solid var(--panel)}
table.domains td.exchanges{max-width:24rem;overflow:hidden;text-overflow:ellipsis}
table.domains td.none{color:var(--muted)}
table.domains thead th{position:sticky;top:0;background:var(--panel);z-index:1;border-bottom:1px solid var(--line)}
table.domains th button{font:inherit;font-weight:700;border:0;background:none;padding:0;cursor:pointer;color:var(--text)}
table.domains td.num,table.domains th.num{text-align:right}
table.domains tr.spacer td{padding:0;border:0;height:auto}
table.domains button.open{font:inherit;border:0;background:none;padding:0;color:var(--link);text-decoration:underline;cursor:pointer}
table.domains tr.current{background:var(--info-bg)}table.domains tr.current td:first-child{box-shadow:inset 5px 0 0 var(--link)}table.domains tr.current button.open{font-weight:700}
.js-table .details>.domain{display:none}
.js-table .details>.domain.open{display:block}
.details-hint{color:var(--muted)}
form.check{display:flex;flex-wrap:wrap;gap:1rem;align-items:end;margin:1rem 0}
form.check label,form.check legend{display:block;font-weight:600}
form.check fieldset{border:1px solid var(--line);border-radius:.5rem;padding:.5rem .75rem}
form.check fieldset label{display:inline-block;font-weight:normal;margin-right:.75rem}
form.check input[type=text]{font:inherit;padding:.35rem .5rem;min-width:20rem;border:1px solid var(--line);border-radius:.25rem}
form.check button{font:inherit;padding:.4rem 1rem;border:1px solid var(--link);background:var(--link);color:var(--bg);border-radius:.25rem;cursor:pointer}
.refusal{border:2px solid var(--fail-mark);background:var(--fail-bg);color:var(--fail);padding:.75rem 1rem;border-radius:.5rem}
`;
