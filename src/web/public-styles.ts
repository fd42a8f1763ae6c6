/**
 * The public pages' palette. Every text colour meets WCAG AA (4.5:1) on the
 * backgrounds it is used on; public-styles.spec.ts checks the ratios.
 */
export const PALETTE = {
  background: '#ffffff',
  surface: '#f3f4f8',
  text: '#16181d',
  muted: '#4a5160',
  accent: '#1f4fbf',
  accentText: '#ffffff',
  border: '#c9cedb',
} as const;

/** Which text colours sit on which backgrounds. */
export const CONTRAST_PAIRS: Array<[keyof typeof PALETTE, keyof typeof PALETTE]> = [
  ['text', 'background'],
  ['text', 'surface'],
  ['muted', 'background'],
  ['muted', 'surface'],
  ['accent', 'background'],
  ['accent', 'surface'],
  ['accentText', 'accent'],
];

const p = PALETTE;

export const PUBLIC_CSS = `
*,*::before,*::after{box-sizing:border-box}
html{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;line-height:1.5;color:${p.text};background:${p.background}}
body{margin:0}
a{color:${p.accent}}
a:focus-visible,button:focus-visible,input:focus-visible,summary:focus-visible{outline:3px solid ${p.accent};outline-offset:2px}
.skip{position:absolute;left:-999px;top:0;background:${p.accent};color:${p.accentText};padding:.5rem 1rem;z-index:10}
.skip:focus{left:0}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.site{max-width:72rem;margin:0 auto;padding:0 1rem 2rem}
.banner{height:12rem;background:linear-gradient(120deg,#1f4fbf,#12306f);border-radius:0 0 .75rem .75rem;overflow:hidden}
.banner img{width:100%;height:100%;object-fit:cover;display:block}
.layout{display:grid;gap:2rem;grid-template-columns:minmax(0,1fr)}
@media (min-width:60rem){.layout{grid-template-columns:minmax(0,2fr) minmax(16rem,1fr)}}
.profile-head{display:flex;flex-wrap:wrap;gap:1rem;align-items:flex-end;margin-top:-3rem}
.avatar{width:7rem;height:7rem;border-radius:50%;border:4px solid ${p.background};background:${p.surface};object-fit:cover}
.avatar-initial{display:flex;align-items:center;justify-content:center;font-size:3rem;font-weight:700;color:${p.accent}}
h1{font-size:1.9rem;margin:.5rem 0 0;line-height:1.2}
h2{font-size:1.25rem;margin:1.5rem 0 .5rem}
h3{font-size:1.1rem;margin:.25rem 0}
.handles{color:${p.muted};margin:.25rem 0;display:flex;flex-wrap:wrap;gap:.25rem 1rem}
.bio p{margin:.5rem 0}
.counts{list-style:none;padding:0;margin:.75rem 0;display:flex;flex-wrap:wrap;gap:.25rem 1.5rem}
.counts strong{font-size:1.1rem}
.counts .detail{color:${p.muted}}
.follow{background:${p.surface};border:1px solid ${p.border};border-radius:.75rem;padding:1rem;margin:1rem 0}
.follow h2{margin-top:0}
.follow form{display:flex;flex-wrap:wrap;gap:.5rem;align-items:flex-end}
.follow label{display:flex;flex-direction:column;font-weight:600;gap:.25rem}
.follow input{font:inherit;font-weight:400;padding:.5rem .6rem;border:1px solid ${p.muted};border-radius:.4rem;min-width:14rem}
.button{display:inline-block;font:inherit;font-weight:600;padding:.55rem 1rem;border-radius:.4rem;border:1px solid ${p.accent};background:${p.accent};color:${p.accentText};text-decoration:none;cursor:pointer}
.button.secondary{background:${p.background};color:${p.accent}}
.follow .bluesky{margin:.75rem 0 0}
.tabs{display:flex;gap:.25rem;border-bottom:1px solid ${p.border};margin:1.5rem 0 0;padding:0;list-style:none}
.tabs a{display:block;padding:.6rem 1rem;text-decoration:none;color:${p.muted};font-weight:600;border-bottom:3px solid transparent}
.tabs a[aria-current="page"]{color:${p.text};border-bottom-color:${p.accent}}
.post{border-bottom:1px solid ${p.border};padding:1rem 0}
.post-meta{display:flex;flex-wrap:wrap;gap:.25rem .5rem;color:${p.muted};font-size:.95rem}
.post-meta .name{color:${p.text};font-weight:700}
.post-body p{margin:.5rem 0;overflow-wrap:anywhere}
.post-body a{overflow-wrap:anywhere}
.engagement{list-style:none;padding:0;margin:.5rem 0 0;display:flex;flex-wrap:wrap;gap:.25rem 1.25rem;color:${p.muted};font-size:.95rem}
.engagement strong{color:${p.text}}
.thread-note{color:${p.muted};font-size:.9rem;margin:.25rem 0}
.media{display:grid;gap:.5rem;grid-template-columns:repeat(auto-fit,minmax(12rem,1fr));margin:.5rem 0;padding:0}
.media figure{margin:0}
.media img{width:100%;height:auto;border-radius:.5rem;background:${p.surface}}
.media figcaption{color:${p.muted};font-size:.85rem}
details.cw summary{cursor:pointer;font-weight:600}
.empty{color:${p.muted};padding:1rem 0}
.pager{margin:1rem 0}
.about{background:${p.surface};border:1px solid ${p.border};border-radius:.75rem;padding:1rem;align-self:start;margin-top:1.5rem}
.about h2{margin-top:0}
.about dl{margin:0}
.about dt{font-weight:600;margin-top:.5rem}
.about dd{margin:0;overflow-wrap:anywhere}
.about .idsp{margin-top:0}
.feeds{list-style:none;padding:0;display:flex;gap:1rem}
.profile-list{list-style:none;padding:0}
.profile-list li{padding:.75rem 0;border-bottom:1px solid ${p.border}}
.article-summary{font-size:1.1rem;color:${p.muted}}
footer{color:${p.muted};font-size:.9rem;margin-top:2rem;border-top:1px solid ${p.border};padding-top:1rem}
`;
