// The stylesheet every page uses, and per-tenant brand colours as CSS variables.
import type { Branding } from '../directory/tenants.ts';

export const PORTICO_CSS = `
:root { --brand: #2f5bd3; --brand-bg: #f3f5f9; --fg: #1b1f24; --muted: #5b6470; --danger: #b3261e; }
* { box-sizing: border-box; }
body { margin: 0; min-height: 100vh; display: flex; flex-direction: column; align-items: center; justify-content: center;
  font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--brand-bg); }
.card { width: min(440px, 100% - 2rem); background: #fff; padding: 2.25rem 2.5rem; border-radius: 8px;
  box-shadow: 0 2px 12px rgb(0 0 0 / 12%); }
.card.wide { width: min(1040px, 100% - 2rem); }
nav.admin { display: flex; flex-wrap: wrap; gap: .25rem 1rem; margin: 0 0 1rem; padding-bottom: .5rem; border-bottom: 1px solid #e3e6ea; }
nav.admin a[aria-current=page] { font-weight: 600; }
.counts { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: .75rem; list-style: none; padding: 0; }
.counts li { border: 1px solid #e3e6ea; border-radius: 6px; padding: .75rem; }
.counts strong { display: block; font-size: 1.6rem; }
.counts a { display: block; margin: -.75rem; padding: .75rem; color: var(--fg); text-decoration: none; border-radius: 6px; }
.counts a:hover { background: var(--brand-bg); }
ul.links { padding-left: 1.1rem; } ul.links li { margin: .25rem 0; overflow-wrap: anywhere; }
.brand { display: flex; align-items: center; gap: .75rem; margin-bottom: 1rem; }
.logo { max-height: 36px; max-width: 160px; }
.org { margin: 0; font-weight: 600; color: var(--muted); }
h1 { font-size: 1.5rem; margin: .25rem 0 1rem; }
label { display: block; font-weight: 600; margin: 1rem 0 .25rem; }
select, input[type=email], input[type=password], input[type=text] { width: 100%; padding: .6rem .7rem; font: inherit;
  border: 1px solid #8a929c; border-radius: 4px; }
input:focus-visible, button:focus-visible, a:focus-visible { outline: 3px solid var(--brand); outline-offset: 2px; }
.actions { display: flex; justify-content: space-between; align-items: center; margin-top: 1.5rem; gap: 1rem; }
button { font: inherit; padding: .55rem 1.6rem; border-radius: 4px; border: 1px solid var(--brand); cursor: pointer;
  background: var(--brand); color: #fff; }
button.secondary { background: #fff; color: var(--brand); }
button.danger { color: var(--danger); border-color: var(--danger); }
button.danger:not(.secondary) { background: var(--danger); color: #fff; }
.inline-form { display: inline; }
label.inline { display: inline; font-weight: normal; }
textarea { width: 100%; font: inherit; padding: .6rem .7rem; border: 1px solid #8a929c; border-radius: 4px; }
fieldset { border: 1px solid #d5d9e0; border-radius: 6px; padding: .5rem 1rem 1rem; margin: 1rem 0; }
legend { font-weight: 600; padding: 0 .3rem; }
.error { color: var(--danger); }
.muted { color: var(--muted); }
.identity { padding: .4rem .6rem; background: var(--brand-bg); border-radius: 4px; overflow-wrap: anywhere; }
.footer { margin-top: 1rem; font-size: .85rem; color: var(--muted); }
.footer a { color: var(--muted); }
iframe.mail { width: 100%; height: 70vh; border: 1px solid #d5d9e0; border-radius: 4px; background: #fff; }
pre.mail { white-space: pre-wrap; word-break: break-word; background: var(--brand-bg); padding: .75rem; }
.tiles { list-style: none; padding: 0; display: grid; grid-template-columns: repeat(auto-fill, minmax(120px, 1fr)); gap: .75rem; }
.tiles a { display: flex; flex-direction: column; align-items: center; gap: .4rem; padding: .9rem .5rem; border: 1px solid #e3e6ea;
  border-radius: 6px; text-decoration: none; color: var(--fg); text-align: center; overflow-wrap: anywhere; }
.tiles img { width: 40px; height: 40px; object-fit: contain; }
.tiles .initial { width: 40px; height: 40px; border-radius: 6px; background: var(--brand); color: #fff; display: grid; place-items: center; font-weight: 600; }
.orgs { padding-left: 1.1rem; }
table { border-collapse: collapse; width: 100%; } td, th { text-align: left; padding: .3rem .5rem; border-bottom: 1px solid #e3e6ea; }
.card table { display: block; overflow-x: auto; max-width: 100%; }
.card :is(td, th) { overflow-wrap: anywhere; }
.card td button { white-space: normal; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
.card table > :is(thead, tbody, tfoot) { min-width: 100%; }
pre { overflow-x: auto; } code { overflow-wrap: anywhere; }
input[type=date], input[type=datetime-local], input[type=time], input[type=number], input[type=url], input[type=search],
input[type=tel] { width: 100%; max-width: 24rem; padding: .55rem .7rem; font: inherit; border: 1px solid #8a929c;
  border-radius: 4px; background: #fff; color: var(--fg); }
input[type=file] { display: block; width: 100%; max-width: 100%; font: inherit; padding: .4rem 0; }
input[type=file]::file-selector-button { font: inherit; padding: .45rem 1.2rem; margin-right: .75rem; border-radius: 4px;
  border: 1px solid var(--brand); background: #fff; color: var(--brand); cursor: pointer; }
a.button { display: inline-block; padding: .55rem 1.6rem; border-radius: 4px; border: 1px solid var(--brand);
  background: var(--brand); color: #fff; text-decoration: none; }
a.button.secondary { background: #fff; color: var(--brand); }
a.button.danger { color: var(--danger); border-color: var(--danger); }
button.danger:not(.secondary) { background: var(--danger); color: #fff; }
.forward { display: flex; flex-wrap: wrap; gap: .5rem 1.25rem; }
.card.wide { width: min(1280px, 100% - 2rem); }
.admin-shell { display: grid; grid-template-columns: 12rem minmax(0, 1fr); gap: 0 2rem; }
.admin-shell > .nav-toggle, .admin-shell > .nav-label { display: none; }
.admin-shell > nav.admin { grid-column: 1; flex-direction: column; flex-wrap: nowrap; align-self: start; margin: 0;
  padding: 0 1rem 0 0; border-bottom: 0; border-right: 1px solid #e3e6ea; }
.admin-main { grid-column: 2; min-width: 0; }
@media (max-width: 800px) {
  .card.wide { width: calc(100% - 1rem); padding: 1.25rem 1rem; }
  .admin-shell { display: block; }
  .admin-shell > .nav-label { display: inline-block; margin: 0 0 .75rem; padding: .35rem 1.2rem; border: 1px solid var(--brand);
    border-radius: 4px; color: var(--brand); cursor: pointer; }
  .admin-shell > .nav-toggle { display: block; position: absolute; width: 1px; height: 1px; opacity: 0; }
  .nav-toggle:focus-visible + .nav-label { outline: 3px solid var(--brand); outline-offset: 2px; }
  .admin-shell > nav.admin { display: none; flex-direction: row; flex-wrap: wrap; padding: 0 0 .5rem; border-right: 0;
    border-bottom: 1px solid #e3e6ea; margin: 0 0 1rem; }
  .admin-shell > .nav-toggle:checked ~ nav.admin { display: flex; }
  .actions { flex-wrap: wrap; }
}
`;

const COLOR = /^#[0-9a-f]{3,8}$/i;
export const isColor = (value: string): boolean => COLOR.test(value);

export function brandCss(branding: Branding): string {
  const lines: string[] = [];
  if (branding.primaryColor && isColor(branding.primaryColor)) lines.push(`--brand: ${branding.primaryColor};`);
  if (branding.backgroundColor && isColor(branding.backgroundColor))
    lines.push(`--brand-bg: ${branding.backgroundColor};`);
  return `:root { ${lines.join(' ')} }\n`;
}
