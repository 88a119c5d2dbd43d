// The checks every page passes in Chromium: `<!doctype html>` first (no quirks mode), no horizontal scroll, no
// axe-core violations. The browser context needs `bypassCSP: true`: axe-core is the test's script, not the page's.
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';

const AXE = readFileSync(new URL('../../node_modules/axe-core/axe.min.js', import.meta.url), 'utf8');

/** Opens `url` and says what is wrong with it (nothing: an empty list). */
export async function checkPage(page: Page, url: string): Promise<string[]> {
  const res = await page.goto(url);
  if (!res) return [`${url}: no response`];
  return [
    ...(/^<!doctype html>/i.test(await res.text()) ? [] : [`${url}: no doctype first`]),
    ...(await checkShown(page)),
  ];
}

/** The checks of the page the browser shows now (reached by a form's POST, say), without loading it again. */
export async function checkShown(page: Page): Promise<string[]> {
  const url = page.url();
  const problems: string[] = [];
  if ((await page.evaluate(() => document.compatMode)) !== 'CSS1Compat') problems.push(`${url}: quirks mode`);
  const { scroll, inner } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    inner: window.innerWidth,
  }));
  if (scroll > inner) problems.push(`${url}: ${scroll} px wide in a ${inner} px viewport`);
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE);
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: { run(): Promise<{ violations: { id: string; nodes: { target: unknown }[] }[] }> };
      }
    ).axe;
    return (await axe.run()).violations.map((v) => `${v.id}: ${v.nodes.map((n) => String(n.target)).join(' | ')}`);
  });
  problems.push(...violations.map((v) => `${url}: ${v}`));
  return problems;
}
