/**
 * The page's only stylesheet, inline and allowed by its hash in the CSP. Light and dark palettes from
 * `prefers-color-scheme`; every text colour has at least 4.5:1 contrast on the backgrounds it is drawn
 * on and every bar colour at least 3:1 (WCAG AA; test/functions/page/contrast.test.ts checks it).
 * The bar encodes state by height too (full: operational, two thirds: degraded, one third: down, a thin
 * line: no checks), so colour is never the only carrier.
 */
export const PALETTES = {
  light: {
    bg: '#ffffff',
    card: '#f6f8fa',
    fg: '#1f2328',
    muted: '#59636e',
    line: '#d1d9e0',
    ok: '#1a7f37',
    warn: '#9a6700',
    bad: '#cf222e',
    none: '#6e7781',
  },
  dark: {
    bg: '#0d1117',
    card: '#151b23',
    fg: '#e6edf3',
    muted: '#9198a1',
    line: '#3d444d',
    ok: '#3fb950',
    warn: '#d29922',
    bad: '#f85149',
    none: '#7d8590',
  },
} as const;

const vars = (palette: Record<string, string>) =>
  Object.entries(palette)
    .map(([name, value]) => `--${name}:${value}`)
    .join(';');

export const STYLES = [
  `:root{color-scheme:light dark;${vars(PALETTES.light)}}`,
  `@media (prefers-color-scheme:dark){:root{${vars(PALETTES.dark)}}}`,
  '*{box-sizing:border-box}',
  'body{margin:0;background:var(--bg);color:var(--fg);font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}',
  'header,main,footer{max-width:56rem;margin:0 auto;padding:0 1rem}',
  'header{padding-top:1.5rem}h1{font-size:1.5rem;margin:0}h2{font-size:1.15rem;margin:0}h3{font-size:1rem;margin:0}',
  'a{color:inherit}p{margin:.25rem 0}',
  '.note{border:1px solid var(--line);border-left:.4rem solid var(--warn);border-radius:.4rem;padding:.5rem .75rem;margin:1rem 0;background:var(--card)}',
  '.banner{border:1px solid var(--line);border-left:.4rem solid var(--none);border-radius:.4rem;padding:.75rem 1rem;margin:1rem 0;background:var(--card)}',
  '.banner.n{border-left-color:var(--ok)}.banner.g{border-left-color:var(--warn)}.banner.d{border-left-color:var(--bad)}',
  '.target,.incidents{border-top:1px solid var(--line);padding:1rem 0}',
  '.head{display:flex;flex-wrap:wrap;gap:.25rem .75rem;align-items:baseline}',
  '.st{font-weight:600}.st.n{color:var(--ok)}.st.g{color:var(--warn)}.st.d{color:var(--bad)}.st.e{color:var(--muted)}',
  '.muted,figcaption,.legend,.axis{color:var(--muted);font-size:.875rem}',
  'dl{display:grid;grid-template-columns:repeat(4,minmax(0,1fr));gap:.5rem;margin:.75rem 0}dt{color:var(--muted);font-size:.8rem}dd{margin:0;font-weight:600;font-variant-numeric:tabular-nums}',
  '.bar{display:flex;gap:1px;align-items:flex-end;height:2.5rem;list-style:none;margin:.5rem 0 0;padding:0}',
  '.bar{position:relative}.bar li{flex:1 1 0;min-width:0;height:100%;background:var(--ok);border-radius:1px}',
  '.bar .g{height:66%;background:var(--warn)}.bar .d{height:33%;background:var(--bad)}.bar .e{height:3px;background:var(--none)}',
  '.bar span{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}',
  '.bar li:hover{outline:2px solid var(--fg)}',
  // Narrow screens: the tooltip spans the bar above it; wider ones: it sits over the cell, kept inside.
  '.bar li:hover span{width:auto;height:auto;clip-path:none;bottom:2.75rem;left:0;right:0;white-space:normal;z-index:1;padding:.25rem .5rem;border-radius:.25rem;background:var(--fg);color:var(--bg);font-size:.8rem}',
  '@media (min-width:40rem){.bar li{position:relative}.bar li:hover span{white-space:nowrap;right:auto;left:-6rem}',
  '.bar li:nth-child(-n+30):hover span{left:0}.bar li:nth-last-child(-n+30):hover span{left:auto;right:0}}',
  '.axis{display:flex;justify-content:space-between}',
  '.legend{display:flex;flex-wrap:wrap;gap:.25rem 1rem;margin:.25rem 0 0;padding:0;list-style:none}',
  '.legend i{display:inline-block;width:.5rem;height:1rem;margin-right:.35rem;vertical-align:-.15rem;background:var(--ok)}',
  '.legend .g{height:.66rem;background:var(--warn)}.legend .d{height:.33rem;background:var(--bad)}.legend .e{height:3px;background:var(--none)}',
  'figure{margin:.75rem 0 0}svg{display:block;width:100%;height:3rem}.spark{fill:none;stroke:var(--fg);stroke-width:1.5}.spark-d{stroke:var(--bad);stroke-width:3}',
  '.incidents ol{list-style:none;margin:.5rem 0 0;padding:0}.incidents li{padding:.5rem 0;border-bottom:1px solid var(--line)}',
  'footer{padding-bottom:2rem}',
].join('');
