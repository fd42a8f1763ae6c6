import { PALETTE as p } from '../web/public-styles.js';

/** The console reuses the public palette (checked for contrast) with denser layouts. */
export const CONSOLE_CSS = `
*,*::before,*::after{box-sizing:border-box}
html{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;line-height:1.45;color:${p.text};background:${p.background}}
body{margin:0}
a{color:${p.accent}}
:focus-visible{outline:3px solid ${p.accent};outline-offset:2px}
.skip{position:absolute;left:-999px;top:0;background:${p.accent};color:${p.accentText};padding:.5rem 1rem}
.skip:focus{left:0}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.bar{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem 1.5rem;padding:.6rem 1.25rem;
  background:${p.surface};border-bottom:1px solid ${p.border}}
.brand{font-weight:800;font-size:1.2rem;text-decoration:none;color:${p.text}}
.bar nav ul{display:flex;flex-wrap:wrap;gap:.25rem 1rem;list-style:none;margin:0;padding:0}
.bar nav a{text-decoration:none;font-weight:600;padding:.25rem 0;border-bottom:3px solid transparent}
.bar nav a[aria-current="page"]{color:${p.text};border-bottom-color:${p.accent}}
.who{margin-left:auto;display:flex;gap:1rem;align-items:center}
.who a{font-weight:600;text-decoration:none}
.who a[aria-current="page"]{border-bottom:3px solid ${p.accent}}
.hint{color:${p.muted};font-size:.9rem}
.notice{background:${p.surface};border-left:4px solid ${p.accent};padding:.5rem .75rem}
.roles label{display:block;font-weight:400;margin:.2rem 0}
.card{max-width:40rem}
main{max-width:80rem;margin:0 auto;padding:1rem 1.25rem 3rem}
h1{font-size:1.6rem;margin:.5rem 0 1rem}
h2{font-size:1.2rem;margin:1rem 0 .5rem}
h3{font-size:1rem;margin:.25rem 0 .5rem}
label{font-weight:600}
input,textarea,select{font:inherit;padding:.45rem .55rem;border:1px solid ${p.muted};border-radius:.35rem;
  background:${p.background};color:${p.text}}
input,textarea,select{max-width:100%}
.field input[type=file]{width:100%}
textarea{width:100%;min-height:10rem;resize:vertical}
.field{display:flex;flex-direction:column;gap:.25rem;margin:.75rem 0}
.field input[type=text],.field input[type=url],.field input[type=email],.field input[type=password]{width:100%}
fieldset{min-width:0;border:1px solid ${p.border};border-radius:.5rem;margin:.75rem 0;padding:.5rem 1rem}
legend{font-weight:700;padding:0 .25rem}
.inline{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center}
.inline label{font-weight:400}
button,.button{font:inherit;font-weight:600;padding:.5rem .9rem;border-radius:.35rem;border:1px solid ${p.accent};
  background:${p.accent};color:${p.accentText};cursor:pointer;text-decoration:none;display:inline-block}
button.secondary,.button.secondary{background:${p.background};color:${p.accent}}
.actions{display:flex;flex-wrap:wrap;gap:.5rem;margin:1rem 0}
#console-status{min-height:1.5rem;margin:.25rem 0;font-weight:600}
.error{color:#a4161a}
.compose{display:grid;gap:2rem;grid-template-columns:minmax(0,1fr)}
@media (min-width:64rem){.compose{grid-template-columns:minmax(0,1.1fr) minmax(0,1fr)}}
.preview{background:${p.surface};border:1px solid ${p.border};border-radius:.6rem;padding:1rem;align-self:start}
.preview h2{margin-top:0}
.network{background:${p.background};border:1px solid ${p.border};border-radius:.5rem;padding:.75rem;margin:.75rem 0}
.parts{margin:0;padding-left:1.5rem}
.part{margin:.5rem 0;padding:.5rem;border-left:3px solid ${p.accent};background:${p.surface}}
.part-body p{margin:.25rem 0}
.part-body{overflow-wrap:anywhere}
.part-body.plain{white-space:pre-wrap}
.count{margin:.25rem 0 0;color:${p.muted};font-size:.9rem}
.count.over{color:#a4161a;font-weight:700}
.warnings{color:#7a4b00}
.attachments{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.75rem}
.attachments li{display:flex;flex-direction:column;gap:.25rem;max-width:10rem;font-size:.9rem}
.list{list-style:none;padding:0;margin:0}
.row{border:1px solid ${p.border};border-radius:.5rem;padding:.75rem 1rem;margin:.75rem 0}
.row.highlight{border-color:${p.accent};box-shadow:0 0 0 2px ${p.accent}}
.row-head{display:flex;flex-wrap:wrap;gap:.25rem 1rem;align-items:baseline;color:${p.muted};font-size:.95rem}
.row-text{margin:.5rem 0;white-space:pre-wrap;overflow-wrap:anywhere}
.badge{display:inline-block;border-radius:1rem;padding:.05rem .6rem;font-size:.85rem;font-weight:700;border:1px solid currentColor}
.state-published{color:#176b2c}
.state-pending{color:#6b4e00}
.state-failed{color:#a4161a}
.state-retracted{color:${p.muted}}
.publications{list-style:none;padding:0;margin:.5rem 0;display:flex;flex-wrap:wrap;gap:.5rem 1.5rem}
.publication-error{color:#a4161a;font-size:.9rem}
.network-status .row p{margin:.4rem 0;overflow-wrap:anywhere}
.network-status .row button{margin-top:.5rem}
.filters{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:flex-end}
.filters .field{margin:0}
.interaction-content{margin:.5rem 0;overflow-wrap:anywhere}
.triage{display:flex;flex-wrap:wrap;gap:.5rem;align-items:flex-end;margin-top:.5rem}
.answer textarea{min-height:4rem}
.bulk{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:flex-end;padding:.5rem .75rem;border:1px solid ${p.border};border-radius:.5rem;background:${p.surface}}
.bulk .field{margin:0}
.triage-facts{display:flex;flex-wrap:wrap;gap:.25rem 1rem;margin:.25rem 0;color:${p.muted}}
.labels{display:inline-flex;flex-wrap:wrap;gap:.25rem;list-style:none;margin:0;padding:0}
.notes{margin:.5rem 0;padding-left:1.25rem;font-size:.95rem}
.note{display:flex;flex-wrap:wrap;gap:.5rem;align-items:flex-end}
.note .field{flex:1 1 14rem;margin:0}
input.select{width:1.2rem;height:1.2rem}
.live{color:${p.muted};font-size:.9rem}
.chart{margin:1rem 0;max-width:36rem;flex:1 1 20rem}
.report-pair{display:flex;flex-wrap:wrap;gap:0 2rem;align-items:flex-start}
.table-scroll{max-width:100%;overflow-x:auto}
.report-period{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:flex-end}
.table-scroll table{border-collapse:collapse}
/* break-word, not anywhere: anywhere also shrinks a column to one letter, which split dates and headings at 390 px; the wrapper scrolls sideways instead */
.table-scroll th,.table-scroll td{padding:.25rem .75rem .25rem 0;text-align:left;overflow-wrap:break-word}
.table-scroll td time,.table-scroll th[scope=row]{white-space:nowrap}
.report{border-collapse:collapse;margin:1rem 0}
.report caption{text-align:left;font-weight:700;margin-bottom:.5rem}
.report th,.report td{border-bottom:1px solid ${p.border};padding:.35rem .75rem;text-align:left}
.report td{text-align:right}
.login{max-width:24rem;margin:3rem auto}
.profiles{list-style:none;padding:0}
.profiles li{margin:.5rem 0}
.content-warning{font-weight:700;color:#7a4b00;margin:.25rem 0}
.pending-edit{border-left:4px solid #7a4b00;padding:.25rem .75rem;margin:.5rem 0;background:${p.surface}}
.thread-parent{border-left:4px solid ${p.border};padding:.25rem .75rem;margin:.5rem 0;color:${p.muted};overflow-wrap:anywhere}
.preview-images{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.5rem}
.preview-images img{max-width:100%;height:auto;border-radius:.35rem}
.upload{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:flex-end}
.upload .field{flex:1 1 14rem;min-width:0}
@media (max-width:40rem){main{padding:.75rem .75rem 2rem}.bar{padding:.5rem .75rem}.report th,.report td{padding:.3rem .4rem}}
`;
